package io.hubbletopology.graph;

import java.util.Comparator;
import java.util.Objects;

/**
 * One interface of one node: the key of a link-states record (ingest), of the links store and of the link
 * changes topic (processor), and what a live client's queue keeps one of.
 *
 * <pre>{@code
 * producer.send(new ProducerRecord<>(topics.links(), new LinkKey("node-1", "eth0").text(), state.toByteArray()));
 * }</pre>
 *
 * @param node the Kubernetes node
 * @param name the interface name
 */
public record LinkKey(String node, String name) implements Comparable<LinkKey> {

    private static final Comparator<LinkKey> ORDER = Comparator.comparing(LinkKey::node).thenComparing(LinkKey::name);

    public LinkKey {
        node = node == null ? "" : node;
        name = name == null ? "" : name;
    }

    /** The key as text: {@code <node>/<interface>}. */
    public String text() {
        return node + "/" + name;
    }

    @Override
    public String toString() {
        return text();
    }

    /** By node, then interface: how link lists are sorted. */
    @Override
    public int compareTo(LinkKey o) {
        return ORDER.compare(this, Objects.requireNonNull(o));
    }
}
