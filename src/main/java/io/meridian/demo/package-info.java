/**
 * What {@code meridian demo} simulates: Kubernetes clusters' workloads (node exporters, cAdvisor
 * and kube-state-metrics series, pods that come and go) served over HTTP on loopback for the real
 * roles to scrape. Nothing here stands in for a role.
 */
package io.meridian.demo;
