/**
 * Relabelling rules (replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop,
 * labelkeep, lowercase, uppercase) with Prometheus's semantics and RE2 regexes via re2j.
 *
 * <p>{@link io.meridian.relabel.RelabelRule#builder()} fills Prometheus's defaults and rejects what
 * Prometheus's {@code Config.Validate} rejects, with its messages, as {@link
 * io.meridian.relabel.RelabelConfigException}. {@link io.meridian.relabel.Relabeler#process}
 * applies a rule list to a {@link io.meridian.model.Labels}: null when dropped, the input instance
 * when unchanged. Replacement templates expand as Go's {@code Regexp.Expand}. Names follow
 * Prometheus 3's UTF-8 rule unless the legacy rule is asked for. Regexes are anchored and {@code .}
 * matches a newline, as in Prometheus.
 *
 * <p>Everything here is immutable or stateless, so rules and {@code process} may be shared across
 * threads. The package uses only {@code util} and {@code model}.
 */
package io.meridian.relabel;
