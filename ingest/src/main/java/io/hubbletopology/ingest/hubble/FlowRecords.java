package io.hubbletopology.ingest.hubble;

import com.google.protobuf.ByteString;

import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.Layer7;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.records.DnsRecord;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.HttpRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.TcpFlag;

/**
 * Turns Hubble's {@link Flow} into our {@link FlowRecord}: the compact fields the topology and flow views use,
 * and beside them the flow itself, serialized with every field it came with (those our protos do not declare
 * too, kept by the parser as unknown fields), so that the history gives back the flow Hubble emitted.
 */
public final class FlowRecords {

    private FlowRecords() {
    }

    /**
     * @param flow         the flow as Hubble sent it
     * @param fallbackNode the node to record when the flow does not name one (a local agent's socket)
     */
    public static FlowRecord fromHubble(Flow flow, String fallbackNode) {
        return fromHubble(flow, flow.toByteString(), fallbackNode);
    }

    /**
     * @param flow         the flow as parsed
     * @param asSent       the same flow's bytes as they arrived, kept as {@code hubble_flow} without encoding
     *                     {@code flow} again
     * @param fallbackNode the node to record when the flow does not name one (a local agent's socket)
     */
    public static FlowRecord fromHubble(Flow flow, ByteString asSent, String fallbackNode) {
        FlowRecord.Builder record = FlowRecord.newBuilder()
                .setTimeUnixNanos(flow.getTime().getSeconds() * 1_000_000_000L + flow.getTime().getNanos())
                .setNodeName(flow.getNodeName().isEmpty() ? fallbackNode : flow.getNodeName())
                .setVerdictValue(flow.getVerdictValue())
                .setDropReasonValue(flow.getDropReasonDescValue() != 0 ? flow.getDropReasonDescValue() : flow.getDropReason())
                .setSource(endpoint(flow.getSource(), flow.getIP().getSource(), flow.getSourceNamesList(), flow.getSourceService().getName()))
                .setDestination(endpoint(flow.getDestination(), flow.getIP().getDestination(), flow.getDestinationNamesList(),
                        flow.getDestinationService().getName()))
                .setTrafficDirectionValue(flow.getTrafficDirectionValue())
                .setEncrypted(flow.getIP().getEncrypted())
                .setUuid(flow.getUuid())
                .setTypeValue(flow.getTypeValue())
                .setSummary(flow.getSummary())
                .setHubbleFlow(asSent);
        if (flow.hasIsReply()) {
            record.setIsReply(flow.getIsReply().getValue());
        } else if (flow.getReply()) {
            record.setIsReply(true);
        }
        layer4(flow.getL4(), record);
        if (flow.hasL7()) {
            record.setL7(layer7(flow.getL7()));
        }
        return record.build();
    }

    private static EndpointRef endpoint(Endpoint e, String ip, java.util.List<String> names, String service) {
        EndpointRef.Builder ref = EndpointRef.newBuilder()
                .setCluster(e.getClusterName())
                .setNamespace(e.getNamespace())
                .setPod(e.getPodName())
                .setIdentity(e.getIdentity())
                .setIp(ip)
                .addAllLabels(e.getLabelsList())
                .addAllDnsNames(names)
                .setServiceName(service);
        if (e.getWorkloadsCount() > 0) {
            ref.setWorkloadKind(e.getWorkloads(0).getKind()).setWorkloadName(e.getWorkloads(0).getName());
        }
        return ref.build();
    }

    private static void layer4(Layer4 l4, FlowRecord.Builder record) {
        switch (l4.getProtocolCase()) {
            case TCP -> record.setProtocol(L4Protocol.TCP)
                    .setSourcePort(l4.getTCP().getSourcePort())
                    .setDestinationPort(l4.getTCP().getDestinationPort())
                    .setTcpFlags(tcpFlags(l4.getTCP().getFlags()));
            case UDP -> record.setProtocol(L4Protocol.UDP)
                    .setSourcePort(l4.getUDP().getSourcePort())
                    .setDestinationPort(l4.getUDP().getDestinationPort());
            case SCTP -> record.setProtocol(L4Protocol.SCTP)
                    .setSourcePort(l4.getSCTP().getSourcePort())
                    .setDestinationPort(l4.getSCTP().getDestinationPort());
            // ICMP has no ports: the edge is keyed by protocol with port 0.
            case ICMPV4 -> record.setProtocol(L4Protocol.ICMPV4);
            case ICMPV6 -> record.setProtocol(L4Protocol.ICMPV6);
            default -> record.setProtocol(L4Protocol.L4_UNKNOWN);
        }
    }

    private static int tcpFlags(TCPFlags f) {
        int bits = 0;
        if (f.getFIN()) bits |= TcpFlag.TCP_FIN_VALUE;
        if (f.getSYN()) bits |= TcpFlag.TCP_SYN_VALUE;
        if (f.getRST()) bits |= TcpFlag.TCP_RST_VALUE;
        if (f.getPSH()) bits |= TcpFlag.TCP_PSH_VALUE;
        if (f.getACK()) bits |= TcpFlag.TCP_ACK_VALUE;
        if (f.getURG()) bits |= TcpFlag.TCP_URG_VALUE;
        if (f.getECE()) bits |= TcpFlag.TCP_ECE_VALUE;
        if (f.getCWR()) bits |= TcpFlag.TCP_CWR_VALUE;
        if (f.getNS()) bits |= TcpFlag.TCP_NS_VALUE;
        return bits;
    }

    private static L7Record layer7(Layer7 l7) {
        L7Record.Builder record = L7Record.newBuilder().setTypeValue(l7.getTypeValue()).setLatencyNs(l7.getLatencyNs());
        switch (l7.getRecordCase()) {
            case HTTP -> record.setHttp(HttpRecord.newBuilder()
                    .setCode(l7.getHttp().getCode())
                    .setMethod(l7.getHttp().getMethod())
                    .setUrl(l7.getHttp().getUrl()));
            case DNS -> record.setDns(DnsRecord.newBuilder()
                    .setQuery(l7.getDns().getQuery())
                    .setRcode(l7.getDns().getRcode())
                    .addAllIps(l7.getDns().getIpsList()));
            default -> { }
        }
        return record.build();
    }
}
