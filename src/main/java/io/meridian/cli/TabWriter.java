package io.meridian.cli;

import java.util.List;

/**
 * Go's {@code text/tabwriter} for the case promtool uses: every cell but a row's last is padded
 * with spaces to the column's width plus padding, at least {@code minWidth}.
 */
final class TabWriter {
  private TabWriter() {}

  static String format(List<String[]> rows, int minWidth, int padding) {
    int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < r.length - 1; i++) {
        width[i] = Math.max(width[i], Math.max(minWidth, r[i].length() + padding));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        sb.append(r[i]);
        if (i < r.length - 1) {
          sb.repeat(' ', width[i] - r[i].length());
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
