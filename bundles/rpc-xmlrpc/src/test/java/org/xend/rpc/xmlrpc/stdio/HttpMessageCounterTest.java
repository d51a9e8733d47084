package org.xend.rpc.xmlrpc.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HttpMessageCounterTest {

    private static final String REQUEST = "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
            + "Content-Length: 11\r\n\r\n<a>body</a";   // the last body byte is fed separately

    private static void feed(HttpMessageCounter counter, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        counter.feed(bytes, 0, bytes.length);
    }

    /** One byte at a time, as the worst split a pipe can produce. */
    private static void trickle(HttpMessageCounter counter, String text) {
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            counter.feed(new byte[] {b}, 0, 1);
        }
    }

    @Test
    void countsRequestsByContentLengthWhateverTheSplit() {
        HttpMessageCounter requests = new HttpMessageCounter(false);
        assertTrue(requests.atMessageBoundary());
        feed(requests, REQUEST);
        assertEquals(0, requests.completed());
        assertFalse(requests.atMessageBoundary(), "one body byte is missing");
        feed(requests, ">");
        assertEquals(1, requests.completed());
        assertTrue(requests.atMessageBoundary());

        trickle(requests, REQUEST + ">" + REQUEST + ">");
        assertEquals(3, requests.completed());
        assertTrue(requests.framed());
    }

    @Test
    void countsChunkedRequestsAndBodilessOnes() {
        HttpMessageCounter requests = new HttpMessageCounter(false);
        trickle(requests, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
        assertEquals(1, requests.completed());
        feed(requests, "\r\nGET / HTTP/1.1\nHost: x\n\n");   // a stray empty line first, bare LF line ends
        assertEquals(2, requests.completed());
        assertTrue(requests.atMessageBoundary());
    }

    @Test
    void interimResponsesAreNotCountedAndEmptyOnesAre() {
        HttpMessageCounter responses = new HttpMessageCounter(true);
        feed(responses, "HTTP/1.1 100 Continue\r\n\r\n");
        assertEquals(0, responses.completed());
        assertTrue(responses.atMessageBoundary());
        feed(responses, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
        feed(responses, "HTTP/1.1 204 No Content\r\n\r\n");
        feed(responses, "HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        assertEquals(3, responses.completed());
        assertTrue(responses.framed());
    }

    @Test
    void whatCannotBeFramedStopsTheCount() {
        HttpMessageCounter closeDelimited = new HttpMessageCounter(true);
        feed(closeDelimited, "HTTP/1.0 200 OK\r\n\r\nuntil the end");
        assertFalse(closeDelimited.framed());

        HttpMessageCounter badLength = new HttpMessageCounter(false);
        feed(badLength, "POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
        assertFalse(badLength.framed());

        HttpMessageCounter conflicting = new HttpMessageCounter(false);
        feed(conflicting, "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        assertFalse(conflicting.framed());

        HttpMessageCounter endless = new HttpMessageCounter(false);
        feed(endless, "POST / HTTP/1.1\r\nX: " + "y".repeat(HttpMessageCounter.MAX_LINE_BYTES));
        assertFalse(endless.framed());
        assertEquals(0, endless.completed());
    }
}
