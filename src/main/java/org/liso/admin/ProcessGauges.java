package org.liso.admin;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.liso.diag.HostFacts;

/**
 * The process-wide gauges of a scrape: descriptors (counting them lists /proc/self/fd, a read of kernel memory that
 * does not block) and the heap.
 *
 * @param openFds  descriptors open, -1 unknown
 * @param maxFds   the soft RLIMIT_NOFILE, -1 unknown
 */
record ProcessGauges(long openFds, long maxFds, long heapUsed, long heapCommitted, long heapMax) {

    static ProcessGauges now() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessGauges(HostFacts.fdsOpen(), HostFacts.fdLimit(), heap.getUsed(), heap.getCommitted(),
                heap.getMax());
    }
}
