package io.latchkey.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a server's own CPU counters ({@code INFO cpu}) and sends administrative commands over a fresh plain socket,
 * so that measuring does not share (or warm up) the connection under test.
 */
final class ServerProbe {

    private ServerProbe() {
    }

    /** {@code used_cpu_sys + used_cpu_user} in seconds, summed over {@code uris}. */
    static double cpuSeconds(List<String> uris) {
        double total = 0;
        for (String uri : uris) {
            String info = command(uri, "INFO", "cpu");
            total += field(info, "used_cpu_sys") + field(info, "used_cpu_user");
        }
        return total;
    }

    /**
     * Commands executed so far ({@code INFO commandstats} calls, which include the commands scripts run), summed over
     * {@code uris}, not counting INFO itself (the probes).
     */
    static long commandCalls(List<String> uris) {
        long total = 0;
        for (String uri : uris) {
            for (String line : command(uri, "INFO", "commandstats").split("\r\n")) {
                if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")) {
                    continue;
                }
                int calls = line.indexOf("calls=");
                int end = line.indexOf(',', calls);
                if (calls >= 0 && end > calls) {
                    total += Long.parseLong(line.substring(calls + "calls=".length(), end));
                }
            }
        }
        return total;
    }

    static String version(String uri) {
        String info = command(uri, "INFO", "server");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length());
            }
        }
        return "?";
    }

    static double field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new IllegalStateException("INFO has no " + name);
    }

    /** Sends one command and returns a simple, integer or bulk reply as text. */
    static String command(String uri, String... args) {
        URI u = URI.create(uri);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String userInfo = u.getUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                if (colon < 0) {
                    write(out, "AUTH", userInfo);
                } else if (colon == 0) {
                    write(out, "AUTH", userInfo.substring(1));
                } else {
                    write(out, "AUTH", userInfo.substring(0, colon), userInfo.substring(colon + 1));
                }
                read(in);
            }
            write(out, args);
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + args[0] + " to " + uri, e);
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String read(InputStream in) throws IOException {
        String line = line(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+':
            case ':':
                return rest;
            case '-':
                throw new IllegalStateException("Redis error: " + rest);
            case '$': {
                int len = Integer.parseInt(rest);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len + 2);
                return new String(data, 0, len, StandardCharsets.UTF_8);
            }
            default:
                throw new IllegalStateException("unexpected reply type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed");
    }
}
