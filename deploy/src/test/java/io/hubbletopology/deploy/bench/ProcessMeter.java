package io.hubbletopology.deploy.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.management.OperatingSystemMXBean;
import com.sun.tools.attach.VirtualMachine;

/**
 * CPU time and heap of one JVM, read over JMX: the benchmark's own (the simulated Hubble server and the
 * live-feed client) directly, a role's process through the attach API (same user, local only). CPU is the
 * process's total over all its threads; heap is what is in use, sampled, so a step reports the largest value
 * seen in it.
 */
final class ProcessMeter implements AutoCloseable {

    private final String name;
    private final JMXConnector connector;
    private final OperatingSystemMXBean os;
    private final MemoryMXBean memory;
    private final AtomicLong heapMax = new AtomicLong();

    private ProcessMeter(String name, JMXConnector connector, OperatingSystemMXBean os, MemoryMXBean memory) {
        this.name = name;
        this.connector = connector;
        this.os = os;
        this.memory = memory;
    }

    static ProcessMeter self(String name) {
        return new ProcessMeter(name, null, ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class),
                ManagementFactory.getMemoryMXBean());
    }

    static ProcessMeter attach(String name, long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection server = connector.getMBeanServerConnection();
        return new ProcessMeter(name, connector,
                ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME, OperatingSystemMXBean.class),
                ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class));
    }

    String name() {
        return name;
    }

    /** CPU time the process has used so far, in nanoseconds. */
    long cpuNanos() {
        return os.getProcessCpuTime();
    }

    /** Samples the heap in use; {@link #takeHeapMax} returns the largest sample since it was last called. */
    void sampleHeap() {
        long used = memory.getHeapMemoryUsage().getUsed();
        heapMax.accumulateAndGet(used, Math::max);
    }

    long takeHeapMax() {
        return heapMax.getAndSet(0);
    }

    @Override
    public void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException e) {
                // The process has already stopped: nothing left to close.
            }
        }
    }
}
