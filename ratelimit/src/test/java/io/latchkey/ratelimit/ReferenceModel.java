package io.latchkey.ratelimit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pure-Java model of ratelimit-decide.lua for ONE user key: the same arithmetic (IEEE doubles, same operation order),
 * driven by the server times the real script reports. Keys expire only once their state is equivalent to empty,
 * so the model ignores TTLs.
 */
final class ReferenceModel {

    /** One decision: code 1 admitted / 0 denied / 2 never, and per limit {remaining, retry µs, reset µs}. */
    record Result(long code, long[][] perLimit) {
        boolean allowed() {
            return code == 1;
        }
    }

    private final List<RateLimit> limits;
    private final Map<Integer, double[]> hashes = new HashMap<>();     // fw {s,c}, sw {s,c,p}
    private final Map<Integer, Double> tats = new HashMap<>();
    private final Map<Integer, TreeMap<Long, Long>> logs = new HashMap<>(); // score -> entries at that score

    ReferenceModel(List<RateLimit> limits) {
        this.limits = limits;
    }

    ReferenceModel(RateLimit... limits) {
        this(List.of(limits));
    }

    static double swEstimate(double prev, double cur, double w, double e) {
        return prev * (w - e) / w + cur;
    }

    static double tbExcess(double tat, double at, double p, double interval, double tau) {
        return Math.max(tat, at) + p * interval - at - tau;
    }

    /** Lua 5.1's {@code a % b}. */
    static double luaMod(double a, double b) {
        return a - Math.floor(a / b) * b;
    }

    private static double ceil(double x) {
        return Math.ceil(x);
    }

    Result decide(long nowMicros, long permitsLong) {
        double now = nowMicros;
        double permits = permitsLong;
        int n = limits.size();
        double[] avail = new double[n];
        double[] retry = new double[n];
        double[] reset = new double[n];
        double[][] state = new double[n][];
        long code = 1;
        for (int i = 0; i < n; i++) {
            RateLimit l = limits.get(i);
            double lim = l.limit();
            double w = l.windowMicros();
            if (permits > lim) {
                code = 2;
            }
            switch (l.algorithm()) {
                case FIXED_WINDOW -> {
                    double ws = now - luaMod(now, w);
                    double[] h = hashes.get(i);
                    double count = h != null && h[0] == ws ? h[1] : 0;
                    state[i] = new double[] {ws, count};
                    avail[i] = lim - count;
                    reset[i] = ws + w - now;
                    retry[i] = count + permits > lim ? ws + w - now : 0;
                }
                case SLIDING_LOG -> {
                    TreeMap<Long, Long> log = logs.computeIfAbsent(i, k -> new TreeMap<>());
                    log.headMap((long) (now - w), true).clear();
                    long count = log.values().stream().mapToLong(Long::longValue).sum();
                    avail[i] = lim - count;
                    reset[i] = count > 0 ? log.lastKey() + w - now : 0;
                    if (count + permits > lim && permits <= lim) {
                        long k = (long) (count + permits - lim);
                        long seen = 0;
                        long kth = 0;
                        for (Map.Entry<Long, Long> e : log.entrySet()) {
                            seen += e.getValue();
                            if (seen >= k) {
                                kth = e.getKey();
                                break;
                            }
                        }
                        retry[i] = kth + w - now;
                    } else if (count + permits > lim) {
                        retry[i] = w;
                    } else {
                        retry[i] = 0;
                    }
                }
                case SLIDING_WINDOW -> {
                    double ws = now - luaMod(now, w);
                    double e = now - ws;
                    double[] h = hashes.get(i);
                    double cur = 0;
                    double prev = 0;
                    if (h != null && h[0] == ws) {
                        cur = h[1];
                        prev = h[2];
                    } else if (h != null && h[0] == ws - w) {
                        prev = h[1];
                    }
                    state[i] = new double[] {ws, cur, prev};
                    double est = swEstimate(prev, cur, w, e);
                    avail[i] = Math.floor(lim - est);
                    reset[i] = cur > 0 ? ws + 2 * w - now : prev > 0 ? ws + w - now : 0;
                    if (est + permits <= lim || permits > lim) {
                        retry[i] = permits > lim ? w : 0;
                    } else if (cur + permits <= lim) {
                        double target = ceil(w - (lim - cur - permits) * w / prev);
                        if (target >= w) {
                            retry[i] = ws + w - now;
                        } else {
                            if (target < e) {
                                target = e;
                            }
                            while (target < w && swEstimate(prev, cur, w, target) + permits > lim) {
                                target = target + 1;
                            }
                            retry[i] = target - e;
                        }
                    } else {
                        double target = 0;
                        if (cur > 0) {
                            target = ceil(w - (lim - permits) * w / cur);
                            if (target < 0) {
                                target = 0;
                            }
                            while (target < w && swEstimate(cur, 0, w, target) + permits > lim) {
                                target = target + 1;
                            }
                        }
                        retry[i] = w - e + target;
                    }
                }
                case TOKEN_BUCKET -> {
                    double interval = w / (double) l.refillTokens();
                    double tau = lim * interval;
                    double tat = tats.getOrDefault(i, now);
                    if (tat < now) {
                        tat = now;
                    }
                    state[i] = new double[] {tat, interval, tau};
                    avail[i] = Math.floor((tau - (tat - now)) / interval + 1e-9);
                    reset[i] = ceil(tat - now);
                    if (permits > lim) {
                        retry[i] = w;
                    } else {
                        double excess = tbExcess(tat, now, permits, interval, tau);
                        if (excess <= 0) {
                            retry[i] = 0;
                        } else {
                            double r = ceil(excess);
                            while (tbExcess(tat, now + r, permits, interval, tau) > 0) {
                                r = r + 1;
                            }
                            retry[i] = r;
                        }
                    }
                }
                default -> throw new AssertionError();
            }
            if (retry[i] > 0 && code == 1) {
                code = 0;
            }
        }
        if (code == 1) {
            for (int i = 0; i < n; i++) {
                RateLimit l = limits.get(i);
                double w = l.windowMicros();
                switch (l.algorithm()) {
                    case FIXED_WINDOW -> hashes.put(i, new double[] {state[i][0], state[i][1] + permits});
                    case SLIDING_LOG -> {
                        logs.get(i).merge(nowMicros, permitsLong, Long::sum);
                        reset[i] = w;
                    }
                    case SLIDING_WINDOW -> {
                        hashes.put(i, new double[] {state[i][0], state[i][1] + permits, state[i][2]});
                        reset[i] = state[i][0] + 2 * w - now;
                    }
                    case TOKEN_BUCKET -> {
                        double tat = state[i][0] + permits * state[i][1];
                        tats.put(i, tat);
                        reset[i] = ceil(tat - now);
                    }
                    default -> throw new AssertionError();
                }
                avail[i] = avail[i] - permits;
            }
        }
        long[][] out = new long[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new long[] {(long) Math.max(0, avail[i]), (long) retry[i], (long) reset[i]};
        }
        return new Result(code, out);
    }

    /** The decision the Java decoder would build from this result at server time {@code now}. */
    RateLimitDecision toDecision(Result r, long now) {
        List<Object> reply = new ArrayList<>();
        reply.add(r.code());
        reply.add(now);
        for (long[] l : r.perLimit()) {
            reply.add(l[0]);
            reply.add(l[1]);
            reply.add(l[2]);
        }
        return RedisRateLimiter.decode(reply, limits);
    }
}
