package io.hubbletopology.api.observer;

import io.hubbletopology.api.flows.FlowPage;
import io.hubbletopology.api.flows.FlowQuery;

/**
 * The flow history reader behind the REST search, as narrow as GetFlows needs it: one page of a query. GetFlows
 * asks it for the newest N flows (it reads the topic from the end); {@code FlowSearch::search} is one.
 */
@FunctionalInterface
interface FlowHistory {
    FlowPage search(FlowQuery query) throws InterruptedException;
}
