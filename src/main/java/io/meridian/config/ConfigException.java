package io.meridian.config;

/**
 * A config file that cannot be used, and where: {@code FILE:LINE:COLUMN: FIELD: DETAIL}, for
 * example {@code prometheus.yml:12:5: scrape_configs[0].job_nme: field job_nme not found in type
 * config.ScrapeConfig}. The detail says it in Prometheus's words where Prometheus has words for it.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;
  private final String field;
  private final String detail;

  /**
   * @param file the file as the user named it
   * @param line 1-based, or 0 when the error is about the file as a whole
   * @param column 1-based, or 0
   * @param field the path of the field ({@code scrape_configs[0].scrape_timeout}), or "" for none
   * @param detail what is wrong
   */
  public ConfigException(String file, int line, int column, String field, String detail) {
    super(format(file, line, column, field, detail));
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
    this.detail = detail;
  }

  private static String format(String file, int line, int column, String field, String detail) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ");
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(detail).toString();
  }

  public String file() {
    return file;
  }

  /** 1-based; 0 when the error has no place in the file. */
  public int line() {
    return line;
  }

  /** 1-based; 0 when unknown. */
  public int column() {
    return column;
  }

  /** The field path, e.g. {@code scrape_configs[0].relabel_configs[1].regex}; "" for none. */
  public String field() {
    return field;
  }

  /** The message without the place. */
  public String detail() {
    return detail;
  }
}
