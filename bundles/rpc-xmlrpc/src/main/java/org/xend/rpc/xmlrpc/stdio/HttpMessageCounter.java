package org.xend.rpc.xmlrpc.stdio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Counts the complete HTTP/1.1 messages in one direction of a byte stream by their framing alone (start line,
 * {@code Content-Length} or chunked transfer coding), without interpreting them. The relay needs this to know when
 * every request it forwarded has had its response: a Unix socket served by Java NIO cannot be half-closed, so the
 * relay cannot simply shut down its side and wait for the daemon to finish.
 *
 * <p>Interim responses ({@code 1xx}) are not counted. A message whose end cannot be told from its head (a response
 * delimited by the connection's close, a protocol switch, a malformed head) makes the stream {@linkplain #framed()
 * unframed} for good. Not thread-safe.
 */
final class HttpMessageCounter {

    /** Longer lines are not HTTP the daemon would accept either. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private enum State { START_LINE, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNFRAMED }

    private final boolean responses;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private State state = State.START_LINE;
    private String startLine;
    private long contentLength;
    private boolean chunked;
    private long remaining;
    private long completed;

    /** @param responses whether the stream carries responses (else requests) */
    HttpMessageCounter(boolean responses) {
        this.responses = responses;
    }

    /** The number of complete messages seen so far. */
    long completed() {
        return completed;
    }

    /** Whether the stream stands between two messages (or before the first). */
    boolean atMessageBoundary() {
        return state == State.START_LINE && line.size() == 0;
    }

    /** False once a message's end could not be determined; counting has then stopped. */
    boolean framed() {
        return state != State.UNFRAMED;
    }

    void feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.UNFRAMED) {
            if (state == State.BODY || state == State.CHUNK_DATA) {
                int take = (int) Math.min(remaining, end - i);
                i += take;
                remaining -= take;
                if (remaining == 0) {
                    if (state == State.BODY) {
                        messageComplete();
                    } else {
                        state = State.CHUNK_END;
                    }
                }
                continue;
            }
            byte b = bytes[i++];
            if (b != '\n') {
                if (line.size() >= MAX_LINE_BYTES) {
                    state = State.UNFRAMED;
                } else {
                    line.write(b);
                }
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            onLine(text);
        }
    }

    private void onLine(String text) {
        switch (state) {
            case START_LINE -> {
                if (!text.isEmpty()) {   // empty lines before a message are tolerated (RFC 9112 2.2)
                    startLine = text;
                    contentLength = -1;
                    chunked = false;
                    state = State.HEADERS;
                }
            }
            case HEADERS -> {
                if (text.isEmpty()) {
                    headComplete();
                } else {
                    header(text);
                }
            }
            case CHUNK_SIZE -> {
                int extension = text.indexOf(';');
                String size = (extension < 0 ? text : text.substring(0, extension)).trim();
                try {
                    remaining = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    state = State.UNFRAMED;
                    return;
                }
                if (remaining < 0) {
                    state = State.UNFRAMED;
                } else {
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> state = text.isEmpty() ? State.CHUNK_SIZE : State.UNFRAMED;
            case TRAILERS -> {
                if (text.isEmpty()) {
                    messageComplete();
                }
            }
            default -> state = State.UNFRAMED;
        }
    }

    private void header(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            state = State.UNFRAMED;
            return;
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        if (name.equals("transfer-encoding")) {
            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        } else if (name.equals("content-length")) {
            try {
                long parsed = Long.parseLong(value);
                if (parsed < 0 || contentLength >= 0 && contentLength != parsed) {
                    state = State.UNFRAMED;
                    return;
                }
                contentLength = parsed;
            } catch (NumberFormatException e) {
                state = State.UNFRAMED;
            }
        }
    }

    private void headComplete() {
        if (responses) {
            int status = statusCode();
            if (status == 101 || status < 100) {
                state = State.UNFRAMED;
                return;
            }
            if (status < 200) {
                state = State.START_LINE;   // interim: the final response is still to come
                return;
            }
            if (status == 204 || status == 304) {
                messageComplete();
                return;
            }
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.BODY;
        } else if (contentLength == 0 || !responses) {
            messageComplete();   // a request without a length has no body
        } else {
            state = State.UNFRAMED;   // a response delimited by the connection's close
        }
    }

    private int statusCode() {
        String[] parts = startLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void messageComplete() {
        completed++;
        state = State.START_LINE;
    }
}
