package io.hubbletopology.api.live;

import java.util.Set;

/**
 * One change for live clients, serialised once whatever the number of clients.
 *
 * @param key         what it updates (an edge or an interface): a client's queue keeps only the latest per key
 * @param kind        edge or link
 * @param payload     the JSON text sent to clients
 * @param namespaces  the namespaces it touches (edge: source and destination; link: none)
 * @param verdicts    the verdicts it carries, lower case (edge only)
 * @param protocol    the L4 protocol (edge only), upper case
 * @param flows       its flow count (edge only)
 */
public record FeedUpdate(String key, Kind kind, String payload, Set<String> namespaces, Set<String> verdicts,
                         String protocol, long flows) {

    public enum Kind { EDGE, LINK }
}
