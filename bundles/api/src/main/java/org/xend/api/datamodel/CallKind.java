package org.xend.api.datamodel;

/** What a generated or declared call does; the dispatcher handles the generated kinds generically. */
public enum CallKind {
    GET_FIELD, SET_FIELD, ADD_TO_MAP, REMOVE_FROM_MAP, ADD_TO_SET, REMOVE_FROM_SET,
    GET_RECORD, GET_ALL, GET_ALL_RECORDS, GET_ALL_RECORDS_WHERE, GET_BY_UUID, GET_BY_NAME_LABEL,
    CREATE, DESTROY, MESSAGE
}
