package io.hubbletopology.processor.output;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.hubbletopology.graph.LinkKey;

/**
 * The latest known state of one interface on one node: the value of the link changes topic (key
 * {@code <node>/<interface>}) and of link queries. Rates are per second over the interval between the two
 * latest readings; null where unknown (first reading, a counter reset, or no counters).
 *
 * @param schema        {@value #SCHEMA}
 * @param node          the Kubernetes node
 * @param name          the interface name
 * @param state         operstate: up, down, lowerlayerdown, dormant, unknown, ...
 * @param carrier       1 or 0; null when the kernel would not say
 * @param speed         Mbit/s; null when the kernel would not say
 * @param mtu           null when unknown
 * @param mac           the hardware address, "" when none
 * @param rxBytesPerS   received bytes per second
 * @param txBytesPerS   sent bytes per second
 * @param errorsPerS    receive plus transmit errors per second
 * @param dropsPerS     receive plus transmit drops per second
 * @param lastChange    when state, carrier, speed, MTU or MAC last changed (the first reading counts as one)
 * @param observed      when the agent read it
 * @param removed       the interface is gone; the last record for its key until it comes back
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"schema", "node", "name", "state", "carrier", "speed", "mtu", "mac", "rx_bytes_per_s",
    "tx_bytes_per_s", "errors_per_s", "drops_per_s", "last_change", "observed", "removed"})
public record LinkState(String schema, String node, String name, String state, Integer carrier, Long speed,
                        Integer mtu, String mac, Double rxBytesPerS, Double txBytesPerS, Double errorsPerS,
                        Double dropsPerS, Instant lastChange, Instant observed, boolean removed) {

    public static final String SCHEMA = "hubble-topology.link/v1";

    public LinkState {
        schema = schema == null ? SCHEMA : schema;
    }

    /** The key on the link changes topic and in the links store. */
    @JsonIgnore
    public LinkKey key() {
        return new LinkKey(node, name);
    }
}
