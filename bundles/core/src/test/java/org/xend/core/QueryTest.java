package org.xend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.store.ApiObject;

/** XAPI's get_all_records_where query language: grammar, precedences, value forms and errors. */
class QueryTest {

    private final ClassDecl thing = TestModel.build().classDecl("thing").orElseThrow();
    private final ApiObject object;

    QueryTest() {
        ObjectStoreImpl store = new ObjectStoreImpl(TestModel.build());
        Map<String, Object> otherConfig = new LinkedHashMap<>();
        otherConfig.put("k", "v");
        otherConfig.put("it's", "a\\b");
        object = store.create("thing", "00000000-0000-0000-0000-000000000001", Map.of(
                "name_label", "one", "count", 42L, "tags", List.of("x", "y"), "other_config", otherConfig,
                "enabled", Boolean.TRUE, "born", Instant.parse("2007-05-08T10:38:06Z")));
    }

    private boolean matches(String query) {
        return Query.parse(query, thing).matches(object);
    }

    @Test
    void comparesFieldsAndLiterals() {
        assertTrue(matches("field \"name_label\"=\"one\""));
        assertTrue(matches("\"one\" = field \"name_label\""));
        assertFalse(matches("field \"name_label\"=\"two\""));
        assertTrue(matches("\"a\"=\"a\""));
        assertTrue(matches("field \"uuid\"=\"00000000-0000-0000-0000-000000000001\""));
        assertTrue(matches("true"));
        assertFalse(matches("false"));
    }

    @Test
    void acceptsXapisDatabaseSpellingOfFieldNames() {
        assertTrue(matches("field \"name__label\"=\"one\""));
    }

    @Test
    void valuesCompareInXapisDatabaseForm() {
        assertTrue(matches("field \"count\"=\"42\""));
        assertTrue(matches("field \"ratio\"=\"0.0\""));
        assertTrue(matches("field \"enabled\"=\"true\""));
        assertTrue(matches("field \"colour\"=\"red\""));
        assertTrue(matches("field \"parent\"=\"OpaqueRef:NULL\""));
        assertTrue(matches("field \"born\"=\"20070508T10:38:06Z\""));
        assertTrue(matches("field \"tags\"=\"('x' 'y')\""));
        assertTrue(matches("field \"other_config\"=\"(('k' 'v') ('it\\'s' 'a\\\\b'))\""));
    }

    @Test
    void andAndOrBindEquallyFromTheLeftAndNotTakesTheRest() {
        // XAPI's grammar (not the usual precedences): (true or false) and false
        assertFalse(matches("true or false and false"));
        assertTrue(matches("false and true or true"));
        // not (false and false)
        assertTrue(matches("not false and false"));
        assertFalse(matches("(not false) and false"));
        assertTrue(matches("true or (false and false)"));
        assertTrue(matches("true and not false or false"));
        assertFalse(matches("not (true)"));
    }

    @Test
    void keywordsNeedNoSpaceAfterThem() {
        assertTrue(matches("field\"name_label\"=\"one\"andtrue"));
        assertTrue(matches("(true)or(false)"));
        assertTrue(matches("\ttrue\n"));
    }

    @Test
    void malformedQueriesAreRefusedWithTheReason() {
        for (String bad : List.of("", "\"a\"", "field \"name_label\"", "field = \"x\"", "\"unterminated",
                "true and", "(true", "true)", "bogus", "field \"name_label\"=\"one\" \"extra\"", "= \"x\"",
                "true \"x\"")) {
            XenApiException e = assertThrows(XenApiException.class, () -> Query.parse(bad, thing), bad);
            assertEquals("VALUE_NOT_SUPPORTED", e.code());
            assertEquals(List.of("expr", bad), e.params().subList(0, 2));
            assertFalse(e.params().get(2).isEmpty(), "a reason is given");
        }
        XenApiException unknown = assertThrows(XenApiException.class,
                () -> Query.parse("field \"power_state\"=\"Running\"", thing));
        assertEquals("class thing has no field power_state", unknown.params().get(2));
    }
}
