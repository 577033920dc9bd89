package io.latchkey.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client over a plain socket, used to probe and administer the nodes we start
 * (PING, AUTH, INFO, FLUSHALL, CLUSTER ...) without spinning up a Lettuce client. Not thread-safe.
 */
final class Resp implements AutoCloseable {

    /** An error reply ({@code -ERR ...}) from the server. */
    static final class RespError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RespError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Resp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and authenticates (when {@code password} is non-null). */
    static Resp connect(String host, int port, String password, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            s.setTcpNoDelay(true);
            Resp r = new Resp(s);
            if (password != null) {
                r.call("AUTH", password);
            }
            return r;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** One-shot command on a fresh connection. */
    static Object call(String host, int port, String password, Duration timeout, String... args) throws IOException {
        try (Resp r = connect(host, port, password, timeout)) {
            return r.call(args);
        }
    }

    /** Sends one command and reads its reply: String, Long, byte[]-as-String, List, or null; errors throw. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            buf.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.writeBytes(b);
            buf.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(buf.toByteArray());
        out.flush();
        Object reply = read();
        if (reply instanceof RespError) {
            throw (RespError) reply;
        }
        return reply;
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by server");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len + 2);
                if (data.length != len + 2) {
                    throw new EOFException("truncated bulk reply");
                }
                return new String(data, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Object item = read();
                    items.add(item instanceof RespError ? ((RespError) item).getMessage() : item);
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type byte: " + (char) type);
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                int lf = in.read();
                if (lf != '\n') {
                    throw new IOException("malformed RESP line");
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new EOFException("connection closed by server");
    }

    /** Extracts {@code field} from an INFO reply ("field:value" lines), or null. */
    static String infoField(Object info, String field) {
        if (info == null) {
            return null;
        }
        for (String l : info.toString().split("\r?\n")) {
            if (l.startsWith(field + ":")) {
                return l.substring(field.length() + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
