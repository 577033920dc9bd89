package io.latchkey.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Redis ACL users for tests that run Latchkey with exactly the permissions a deployment grants it: the recipe of
 * {@code docs/security.md}, in one place so the docs and the tests cannot drift apart.
 *
 * <pre>{@code
 * String uri = AclUsers.createLeastPrivilege(redis, "app", "app-pw", "orders");
 * try (Latchkey lk = Latchkey.builder().uri(uri).namespace("orders").build()) { ... }
 * }</pre>
 */
public final class AclUsers {

    private AclUsers() {
    }

    /**
     * The rules (after {@code ACL SETUSER <user> reset on >password}) of the least-privilege user for one namespace:
     * its keys (<code>~&lt;ns&gt;:&#123;*</code>) and channels ({@code &<ns>:*}) only; the scripts (EVALSHA, with EVAL as the
     * fallback after a script cache flush) and the data commands they run (read and write, nothing dangerous);
     * TIME, PING; PUBLISH and SUBSCRIBE for wake-ups.
     */
    public static List<String> leastPrivilegeRules(String namespace) {
        return rules(namespace, "&" + namespace + ":*");
    }

    /**
     * As {@link #leastPrivilegeRules(String)} with no channel at all: scripts cannot PUBLISH,
     * waiters cannot SUBSCRIBE.
     */
    public static List<String> withoutChannelsRules(String namespace) {
        return rules(namespace, null);
    }

    private static List<String> rules(String namespace, String channels) {
        Objects.requireNonNull(namespace, "namespace");
        List<String> rules = new ArrayList<>(List.of("~" + namespace + ":{*", "resetchannels"));
        if (channels != null) {
            // after resetchannels: Redis 6.2 gives users every channel by default (acl-pubsub-default), 7.x none
            rules.add(channels);
        }
        rules.addAll(List.of("-@all", "+@read", "+@write", "-@dangerous", "+evalsha", "+eval", "+time", "+ping",
                "+publish", "+subscribe", "+unsubscribe"));
        return List.copyOf(rules);
    }

    /** Creates (or replaces) {@code user} with {@link #leastPrivilegeRules}; returns a URI that logs in as it. */
    public static String createLeastPrivilege(EmbeddedRedis redis, String user, String password, String namespace) {
        return create(redis, user, password, leastPrivilegeRules(namespace));
    }

    /** Creates (or replaces) {@code user} with {@link #withoutChannelsRules}; returns a URI that logs in as it. */
    public static String createWithoutChannels(EmbeddedRedis redis, String user, String password, String namespace) {
        return create(redis, user, password, withoutChannelsRules(namespace));
    }

    /** The full {@code ACL SETUSER} command line for {@code rules}, as an operator would type it. */
    public static String setUserCommand(String user, String password, List<String> rules) {
        return "ACL SETUSER " + user + " reset on >" + password + " " + String.join(" ", rules);
    }

    private static String create(EmbeddedRedis redis, String user, String password, List<String> rules) {
        List<String> args = new ArrayList<>(List.of("ACL", "SETUSER", user, "reset", "on", ">" + password));
        args.addAll(rules);
        redis.command(args.toArray(String[]::new));
        return "redis://" + URLEncoder.encode(user, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + redis.host() + ":" + redis.port();
    }
}
