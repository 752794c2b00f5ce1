/**
 * Prometheus-compatible YAML configuration: parsing, validation with file, line and field in
 * errors, and reload; and the files a config points at that several packages read the same way:
 * file_sd target group files ({@link io.meridian.config.TargetGroupFiles}) and the PEM files of
 * {@code tls_config} ({@link io.meridian.config.TlsContexts}).
 */
package io.meridian.config;
