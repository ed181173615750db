package io.hubbletopology.api.observer;

import com.google.protobuf.Descriptors;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.util.FieldMaskUtil;

import io.hubbletopology.flowfilter.InvalidFilterException;
import io.hubbletopology.hubble.flow.Flow;

/**
 * GetFlows' {@code field_mask}, as Hubble honours it: only the listed fields of each Flow are set in the answer
 * ({@code time}, {@code verdict}, {@code source.namespace}, {@code l4.TCP.destination_port}: proto field names,
 * dots into messages). Filters still see the whole flow; the response's own {@code time} and {@code node_name}
 * are set from it too. A path that names no Flow field is refused (INVALID_ARGUMENT), as Hubble refuses it.
 *
 * <pre>{@code
 * FlowFieldMask mask = FlowFieldMask.of(request.getFieldMask());   // empty mask: every field
 * Flow sent = mask.apply(flow);
 * }</pre>
 */
final class FlowFieldMask {

    private static final FlowFieldMask ALL = new FlowFieldMask(null);

    private final FieldMask mask;

    private FlowFieldMask(FieldMask mask) {
        this.mask = mask;
    }

    /** @throws InvalidFilterException naming {@code field_mask} and the first path that is not a Flow field */
    static FlowFieldMask of(FieldMask mask) {
        if (mask.getPathsCount() == 0) {
            return ALL;
        }
        for (String path : mask.getPathsList()) {
            if (!FieldMaskUtil.isValid(Flow.class, path)) {
                throw new InvalidFilterException("field_mask", "'" + path + "' is not a field of flow.Flow (paths are proto field names, "
                        + "dots into messages, e.g. time, verdict, source.namespace, l4.TCP.destination_port)");
            }
        }
        return new FlowFieldMask(FieldMaskUtil.normalize(mask));
    }

    /** The flow with only the masked fields set (the flow itself without a mask). */
    Flow apply(Flow flow) {
        if (mask == null) {
            return flow;
        }
        // Only the paths the flow has: merging one through an unset message would set that message, empty.
        FieldMask.Builder present = FieldMask.newBuilder();
        for (String path : mask.getPathsList()) {
            if (present(flow, path)) {
                present.addPaths(path);
            }
        }
        Flow.Builder out = Flow.newBuilder();
        FieldMaskUtil.merge(present.build(), flow, out);
        return out.build();
    }

    /** Whether every message on the path (the last field too, when a message) is set in the flow. */
    private static boolean present(Message message, String path) {
        Message at = message;
        for (String name : path.split("\\.")) {
            Descriptors.FieldDescriptor field = at.getDescriptorForType().findFieldByName(name);
            if (field.isRepeated() || field.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                return true;
            }
            if (!at.hasField(field)) {
                return false;
            }
            at = (Message) at.getField(field);
        }
        return true;
    }
}
