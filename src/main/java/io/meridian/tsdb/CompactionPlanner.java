package io.meridian.tsdb;

import io.meridian.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which blocks to compact next, as Prometheus's leveled compactor does: overlapping blocks
 * first (merged vertically), then runs of blocks that fill an aligned window of the next size up
 * (2h → 6h → 18h ..., by factors of three), once newer data has moved past that window.
 */
final class CompactionPlanner {
  private final long[] ranges;

  /** Ranges {@code base, 3·base, 9·base, ...} up to {@code max}. */
  CompactionPlanner(long base, long max) {
    List<Long> r = new ArrayList<>();
    for (long x = base; x <= max && r.size() < 10; x *= 3) {
      r.add(x);
    }
    this.ranges = r.stream().mapToLong(Long::longValue).toArray();
  }

  /** The blocks to compact into one, or an empty list when there is nothing to do. */
  List<BlockMeta> plan(List<BlockMeta> blocks) {
    List<BlockMeta> sorted = new ArrayList<>(blocks);
    sorted.sort(Comparator.comparingLong(BlockMeta::minTime));
    List<BlockMeta> overlapping = overlapping(sorted);
    if (!overlapping.isEmpty()) {
      return overlapping;
    }
    if (sorted.size() < 2) {
      return List.of();
    }
    long newestMax = sorted.getLast().maxTime();
    for (int r = 1; r < ranges.length; r++) {
      long range = ranges[r];
      int i = 0;
      while (i < sorted.size()) {
        long start = Math.floorDiv(sorted.get(i).minTime(), range) * range;
        long end = start + range;
        List<BlockMeta> group = new ArrayList<>();
        int j = i;
        while (j < sorted.size()
            && sorted.get(j).minTime() >= start
            && sorted.get(j).maxTime() <= end) {
          group.add(sorted.get(j));
          j++;
        }
        if (group.size() > 1 && end <= newestMax && !wholeRange(group, start, end)) {
          return group;
        }
        i = Math.max(j, i + 1);
      }
    }
    return List.of();
  }

  /** A single block already spanning the window needs no compaction. */
  private static boolean wholeRange(List<BlockMeta> group, long start, long end) {
    return group.size() == 1
        && group.getFirst().minTime() == start
        && group.getFirst().maxTime() == end;
  }

  /** The first set of blocks whose time ranges overlap, or empty. */
  private static List<BlockMeta> overlapping(List<BlockMeta> sorted) {
    for (int i = 0; i + 1 < sorted.size(); i++) {
      List<BlockMeta> group = new ArrayList<>(List.of(sorted.get(i)));
      long max = sorted.get(i).maxTime();
      int j = i + 1;
      while (j < sorted.size() && sorted.get(j).minTime() < max) {
        group.add(sorted.get(j));
        max = Math.max(max, sorted.get(j).maxTime());
        j++;
      }
      if (group.size() > 1) {
        return group;
      }
    }
    return List.of();
  }
}
