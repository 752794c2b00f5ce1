/**
 * Prometheus-compatible YAML configuration: parsing, validation with file, line and field in
 * errors, and reload.
 */
package io.meridian.config;
