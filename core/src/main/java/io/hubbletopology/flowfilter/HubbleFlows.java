package io.hubbletopology.flowfilter;

import com.google.protobuf.BoolValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;

import io.hubbletopology.hubble.flow.CiliumEventType;
import io.hubbletopology.hubble.flow.DNS;
import io.hubbletopology.hubble.flow.FlowType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.HTTP;
import io.hubbletopology.hubble.flow.ICMPv4;
import io.hubbletopology.hubble.flow.ICMPv6;
import io.hubbletopology.hubble.flow.IP;
import io.hubbletopology.hubble.flow.IPVersion;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.Layer7;
import io.hubbletopology.hubble.flow.SCTP;
import io.hubbletopology.hubble.flow.Service;
import io.hubbletopology.hubble.flow.TCP;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.UDP;
import io.hubbletopology.hubble.flow.Workload;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.TcpFlag;

/**
 * A flow record of the flows topic as the Hubble {@link Flow} it was made from, so that Hubble's filters and
 * Hubble's clients see our history in Hubble's own terms. A record carries the flow as Hubble sent it
 * ({@code hubble_flow}): that flow is returned, with every field and any field our protos do not know (as unknown
 * fields, written back as they came), and only a node name added where the flow had none, as Relay does.
 * A record without it (written before the field existed, or whose bytes do not parse) is rebuilt from its
 * compact fields: fields they do not carry (interface, policies, HTTP headers, a service's own namespace, taken
 * here as its endpoint's) are then absent, and the event type is derived from what is kept:
 * {@value CiliumEventTypes#ACCESS_LOG} (access log) for L7 flows, {@value CiliumEventTypes#DROP} (drop) for dropped
 * ones, else {@value CiliumEventTypes#TRACE} (trace), Cilium's monitor types, without a subtype: the compact fields
 * do not keep it, so a subtype filter sees such a flow's as 0 (a trace's 0 is {@code to-endpoint}).
 *
 * <pre>{@code
 * Flow flow = HubbleFlows.of(FlowRecord.parseFrom(value));
 * }</pre>
 */
public final class HubbleFlows {

    private HubbleFlows() {
    }

    public static Flow of(FlowRecord r) {
        if (!r.getHubbleFlow().isEmpty()) {
            try {
                Flow original = Flow.parseFrom(r.getHubbleFlow());
                return original.getNodeName().isEmpty() && !r.getNodeName().isEmpty()
                        ? original.toBuilder().setNodeName(r.getNodeName()).build() : original;
            } catch (InvalidProtocolBufferException e) {
                // The compact fields were read from the same flow: they still answer, with less detail.
            }
        }
        return rebuilt(r);
    }

    private static Flow rebuilt(FlowRecord r) {
        long nanos = r.getTimeUnixNanos();
        Flow.Builder f = Flow.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(Math.floorDiv(nanos, 1_000_000_000L)).setNanos((int) Math.floorMod(nanos, 1_000_000_000L)))
                .setUuid(r.getUuid())
                .setVerdictValue(r.getVerdictValue())
                .setDropReasonDescValue(r.getDropReasonValue())
                .setNodeName(r.getNodeName())
                .setTypeValue(r.getTypeValue())
                .setTrafficDirectionValue(r.getTrafficDirectionValue())
                .setSummary(r.getSummary())
                .setSource(endpoint(r.getSource()))
                .setDestination(endpoint(r.getDestination()))
                .addAllSourceNames(r.getSource().getDnsNamesList())
                .addAllDestinationNames(r.getDestination().getDnsNamesList());
        if (!r.getSource().getIp().isEmpty() || !r.getDestination().getIp().isEmpty()) {
            String any = r.getSource().getIp().isEmpty() ? r.getDestination().getIp() : r.getSource().getIp();
            f.setIP(IP.newBuilder().setSource(r.getSource().getIp()).setDestination(r.getDestination().getIp())
                    .setIpVersion(any.contains(":") ? IPVersion.IPv6 : IPVersion.IPv4).setEncrypted(r.getEncrypted()));
        }
        f.setEventType(CiliumEventType.newBuilder().setType(r.getType() == FlowType.L7 ? CiliumEventTypes.ACCESS_LOG
                : r.getVerdict() == Verdict.DROPPED ? CiliumEventTypes.DROP : CiliumEventTypes.TRACE));
        if (r.hasIsReply()) {
            f.setIsReply(BoolValue.of(r.getIsReply()));
        }
        service(r.getSource(), f, true);
        service(r.getDestination(), f, false);
        layer4(r, f);
        if (r.hasL7()) {
            f.setL7(layer7(r.getL7()));
        }
        return f.build();
    }

    private static Endpoint endpoint(EndpointRef e) {
        Endpoint.Builder b = Endpoint.newBuilder().setIdentity(e.getIdentity()).setNamespace(e.getNamespace())
                .addAllLabels(e.getLabelsList()).setPodName(e.getPod()).setClusterName(e.getCluster());
        if (!e.getWorkloadName().isEmpty()) {
            b.addWorkloads(Workload.newBuilder().setName(e.getWorkloadName()).setKind(e.getWorkloadKind()));
        }
        return b.build();
    }

    private static void service(EndpointRef e, Flow.Builder f, boolean source) {
        if (e.getServiceName().isEmpty()) {
            return;
        }
        Service s = Service.newBuilder().setName(e.getServiceName()).setNamespace(e.getNamespace()).build();
        if (source) {
            f.setSourceService(s);
        } else {
            f.setDestinationService(s);
        }
    }

    private static void layer4(FlowRecord r, Flow.Builder f) {
        switch (r.getProtocol()) {
            case TCP -> f.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(r.getSourcePort())
                    .setDestinationPort(r.getDestinationPort()).setFlags(flags(r.getTcpFlags()))));
            case UDP -> f.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setSourcePort(r.getSourcePort())
                    .setDestinationPort(r.getDestinationPort())));
            case SCTP -> f.setL4(Layer4.newBuilder().setSCTP(SCTP.newBuilder().setSourcePort(r.getSourcePort())
                    .setDestinationPort(r.getDestinationPort())));
            case ICMPV4 -> f.setL4(Layer4.newBuilder().setICMPv4(ICMPv4.getDefaultInstance()));
            case ICMPV6 -> f.setL4(Layer4.newBuilder().setICMPv6(ICMPv6.getDefaultInstance()));
            default -> { }
        }
    }

    private static TCPFlags flags(int bits) {
        return TCPFlags.newBuilder()
                .setFIN((bits & TcpFlag.TCP_FIN_VALUE) != 0).setSYN((bits & TcpFlag.TCP_SYN_VALUE) != 0)
                .setRST((bits & TcpFlag.TCP_RST_VALUE) != 0).setPSH((bits & TcpFlag.TCP_PSH_VALUE) != 0)
                .setACK((bits & TcpFlag.TCP_ACK_VALUE) != 0).setURG((bits & TcpFlag.TCP_URG_VALUE) != 0)
                .setECE((bits & TcpFlag.TCP_ECE_VALUE) != 0).setCWR((bits & TcpFlag.TCP_CWR_VALUE) != 0)
                .setNS((bits & TcpFlag.TCP_NS_VALUE) != 0).build();
    }

    private static Layer7 layer7(L7Record l7) {
        Layer7.Builder b = Layer7.newBuilder().setTypeValue(l7.getTypeValue()).setLatencyNs(l7.getLatencyNs());
        switch (l7.getRecordCase()) {
            case HTTP -> b.setHttp(HTTP.newBuilder().setCode(l7.getHttp().getCode()).setMethod(l7.getHttp().getMethod())
                    .setUrl(l7.getHttp().getUrl()));
            case DNS -> b.setDns(DNS.newBuilder().setQuery(l7.getDns().getQuery()).setRcode(l7.getDns().getRcode())
                    .addAllIps(l7.getDns().getIpsList()));
            default -> { }
        }
        return b.build();
    }
}
