package org.xend.relocation;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.xend.api.spi.relocation.MigrationOffer;

/**
 * The relocation protocol, written once for the server and the client. As Xend's, the source opens a TCP connection
 * to the destination's relocation port and says {@code receive}; the destination answers, the domain's image
 * follows, and the destination tells the outcome. Unlike Xend's, the source offers the VM first, so that a VM the
 * destination cannot take is declined before its image is sent, and the source lets go of its domain only once the
 * destination has restored it. Lines are UTF-8, end with LF and hold at most {@value #MAX_LINE_BYTES} bytes:
 * <pre>
 *   source                                  destination
 *   receive                                 (a source it does not allow gets "error ..." and the connection closes)
 *   protocol 1
 *   uuid UUID
 *   name NAME
 *   memory BYTES
 *   paused true|false
 *   (empty line)
 *                                           ready                 | error MESSAGE
 *   the image (Hypervisor.sendDomain)
 *                                           restored UUID DOMID   | error MESSAGE   (the VM is paused there)
 *   commit | abort
 *                                           running | paused      (after commit; abort destroys its copy)
 * </pre>
 * The offer's lines may come in any order; at most {@value #MAX_OFFER_BYTES} bytes in all are read before the image.
 */
final class RelocationProtocol {

    static final int VERSION = 1;
    static final String RECEIVE = "receive";
    static final String READY = "ready";
    static final String ERROR = "error";
    static final String RESTORED = "restored";
    static final String COMMIT = "commit";
    static final String ABORT = "abort";
    static final String RUNNING = "running";
    static final String PAUSED = "paused";

    static final int MAX_LINE_BYTES = 1024;
    static final int MAX_OFFER_BYTES = 4096;

    /** The other side broke the protocol, or said something this side cannot read. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    private RelocationProtocol() {
    }

    // ---- the offer ----

    static void writeOffer(OutputStream out, MigrationOffer offer) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(RECEIVE).append('\n')
                .append("protocol ").append(VERSION).append('\n')
                .append("uuid ").append(offer.uuid()).append('\n')
                .append("name ").append(oneLine(offer.name())).append('\n')
                .append("memory ").append(offer.memoryBytes()).append('\n')
                .append("paused ").append(offer.paused()).append('\n')
                .append('\n');
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads an offer, at most {@value #MAX_OFFER_BYTES} bytes, all of it before {@code deadlineNanos}
     * ({@link System#nanoTime()}).
     */
    static MigrationOffer readOffer(InputStream in, Socket socket, long deadlineNanos) throws IOException {
        int[] budget = {MAX_OFFER_BYTES};
        String first = readLine(in, socket, deadlineNanos, budget);
        if (first == null || !RECEIVE.equals(first.trim())) {
            throw new ProtocolException("expected '" + RECEIVE + "', got " + quote(first));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        while (true) {
            String line = readLine(in, socket, deadlineNanos, budget);
            if (line == null) {
                throw new ProtocolException("the offer ended before its empty line");
            }
            if (line.isEmpty()) {
                break;
            }
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            if (fields.put(key, space < 0 ? "" : line.substring(space + 1)) != null) {
                throw new ProtocolException("the offer gives '" + key + "' twice");
            }
        }
        String version = required(fields, "protocol");
        if (!Integer.toString(VERSION).equals(version)) {
            throw new ProtocolException("protocol version " + quote(version) + " is not supported (only " + VERSION
                    + ")");
        }
        long memory;
        try {
            memory = Long.parseLong(required(fields, "memory"));
        } catch (NumberFormatException e) {
            throw new ProtocolException("memory " + quote(fields.get("memory")) + " is not a number of bytes");
        }
        String paused = required(fields, "paused").toLowerCase(Locale.ROOT);
        if (!paused.equals("true") && !paused.equals("false")) {
            throw new ProtocolException("paused " + quote(paused) + " is neither true nor false");
        }
        return new MigrationOffer(required(fields, "uuid"), required(fields, "name"), memory,
                Boolean.parseBoolean(paused));
    }

    private static String required(Map<String, String> fields, String key) throws ProtocolException {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new ProtocolException("the offer has no " + key);
        }
        return value;
    }

    // ---- lines ----

    static void writeLine(OutputStream out, String line) throws IOException {
        out.write((oneLine(line) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static void writeError(OutputStream out, String message) throws IOException {
        writeLine(out, ERROR + " " + message);
    }

    /** A reply line; {@code null} at the end of the stream. */
    static String readLine(InputStream in, Socket socket, long deadlineNanos) throws IOException {
        return readLine(in, socket, deadlineNanos, new int[] {MAX_LINE_BYTES});
    }

    /**
     * Reads one line, without its LF; {@code null} if the stream ends before any byte. Each read may take only the
     * time left until the deadline, so a peer that trickles bytes cannot hold the connection past it.
     */
    private static String readLine(InputStream in, Socket socket, long deadlineNanos, int[] budget)
            throws IOException {
        byte[] line = new byte[MAX_LINE_BYTES];
        int length = 0;
        while (true) {
            long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new SocketTimeoutException("no complete line in time");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
            int b = in.read();
            if (b < 0) {
                if (length == 0) {
                    return null;
                }
                throw new EOFException("the connection ended within a line");
            }
            if (--budget[0] < 0) {
                throw new ProtocolException("more than " + MAX_OFFER_BYTES + " bytes before the image");
            }
            if (b == '\n') {
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == line.length) {
                throw new ProtocolException("a line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            line[length++] = (byte) b;
        }
    }

    /** The message of an {@code error} line, or null if the line is not one. */
    static String errorMessage(String line) {
        if (line == null || !(line.equals(ERROR) || line.startsWith(ERROR + " "))) {
            return null;
        }
        return line.length() > ERROR.length() ? line.substring(ERROR.length() + 1) : "(no reason given)";
    }

    /** Text fit for one line: no line breaks, and short enough. */
    static String oneLine(String text) {
        String flat = String.valueOf(text).replace('\r', ' ').replace('\n', ' ');
        byte[] bytes = flat.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MAX_LINE_BYTES - 16) {
            return flat;
        }
        return new String(bytes, 0, MAX_LINE_BYTES - 20, StandardCharsets.UTF_8) + "...";
    }

    static String quote(String text) {
        return text == null ? "nothing" : "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
    }
}
