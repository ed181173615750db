package io.hubbletopology.api.access;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request written byte for byte on a socket to 127.0.0.1, so odd spellings (doubled slashes,
 * percent-encoded letters) reach the server exactly as written, as no HTTP client would send them.
 *
 * @param method  e.g. GET, HEAD, OPTIONS
 * @param target  the request target as sent, query included
 * @param headers further header lines
 */
public record RawRequest(String method, String target, Map<String, String> headers) {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    /** The answer's status line and what came after the head (nothing for HEAD or a 101). */
    public record Answer(int status, String head, String body) {
        public boolean upgraded() {
            return status == 101;
        }
    }

    public static RawRequest get(String target) {
        return new RawRequest("GET", target, Map.of());
    }

    public RawRequest with(String header, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(header, value);
        return new RawRequest(method, target, more);
    }

    /** A WebSocket handshake for this target. */
    public RawRequest upgrade() {
        return with("Upgrade", "websocket").with("Connection", "Upgrade").with("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .with("Sec-WebSocket-Version", "13");
    }

    public Answer send(int port) throws Exception {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        if (!headers.containsKey("Connection")) {
            request.append("Connection: close\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            // Read the head; a 101 keeps the connection open, anything else is read to the end (Connection: close).
            int b;
            while ((b = in.read()) != -1) {
                all.write(b);
                if (all.size() >= 4 && all.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            String head = all.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            if (status == 101 || method.equals("HEAD")) {
                return new Answer(status, head, "");
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Matcher length = CONTENT_LENGTH.matcher(head);
            if (length.find()) {
                // A refused handshake keeps the connection (it asked for Connection: Upgrade): read just the body.
                body.write(in.readNBytes(Integer.parseInt(length.group(1))));
            } else {
                in.transferTo(body);
            }
            return new Answer(status, head, body.toString(StandardCharsets.UTF_8));
        }
    }
}
