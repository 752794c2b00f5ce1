package io.meridian.storage;

import java.util.EnumMap;
import java.util.Map;

/**
 * Says why a store refused one sample. Thrown on the ingest path, so there is one shared instance
 * per reason, without stack trace or suppression: throwing it costs no allocation. The caller knows
 * which sample it passed; the store counts rejections per {@link Reason}.
 */
public final class SampleRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a sample was rejected, with Prometheus's names for it. */
  public enum Reason {
    /** Older than the series' newest sample, and no out-of-order window takes it. */
    OUT_OF_ORDER("out_of_order", "out of order sample"),
    /** Same timestamp as the series' newest sample, different value. */
    DUPLICATE("duplicate", "duplicate sample for timestamp"),
    /** Older than anything the store still accepts (before its head's lower bound). */
    OUT_OF_BOUNDS("out_of_bounds", "out of bounds"),
    /** Outside the out-of-order window, where one is configured. */
    TOO_OLD("too_old", "too old sample"),
    /** Of a series the store does not hold and may not create: its series limit is reached. */
    SERIES_LIMIT("series_limit", "series limit reached");

    private final String label;
    private final String message;

    Reason(String label, String message) {
      this.label = label;
      this.message = message;
    }

    /** The value of the {@code reason} label on rejection counters. */
    public String label() {
      return label;
    }

    /** Prometheus's error text for it, which remote write clients and users recognise. */
    public String message() {
      return message;
    }
  }

  private static final Map<Reason, SampleRejectedException> SHARED = new EnumMap<>(Reason.class);

  static {
    for (Reason r : Reason.values()) {
      SHARED.put(r, new SampleRejectedException(r));
    }
  }

  private final Reason reason;

  private SampleRejectedException(Reason reason) {
    super(reason.message(), null, false, false);
    this.reason = reason;
  }

  /** The shared exception for {@code reason}. */
  public static SampleRejectedException of(Reason reason) {
    return SHARED.get(reason);
  }

  /** Why the sample was rejected. */
  public Reason reason() {
    return reason;
  }
}
