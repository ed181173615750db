package io.hubbletopology.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class GraphNodeTest {

    @Test
    void parsesEveryIdItWritesBackToTheSameNode() {
        List<GraphNode> nodes = List.of(
                new GraphNode(GraphNode.Kind.WORKLOAD, "", "shop", "deployment/frontend"),
                new GraphNode(GraphNode.Kind.WORKLOAD, "eu-1", "shop", "deployment/cart"),
                new GraphNode(GraphNode.Kind.RESERVED, "", "", "world"),
                new GraphNode(GraphNode.Kind.RESERVED, "eu-1", "", "host"),
                new GraphNode(GraphNode.Kind.DNS, "", "", "api.example.com"),
                new GraphNode(GraphNode.Kind.IP, "eu-1", "", "private"));
        for (GraphNode node : nodes) {
            assertThat(GraphNode.parse(node.id())).as(node.id()).contains(node);
        }
    }

    @Test
    void textOfNoKnownFormIsNoNode() {
        assertThat(GraphNode.parse("no-slash-no-kind")).isEmpty();
        assertThat(GraphNode.parse("")).isEmpty();
        assertThat(GraphNode.parse(null)).isEmpty();
    }
}
