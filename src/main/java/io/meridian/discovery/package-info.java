/**
 * Service discovery: where targets come from besides {@code static_configs}.
 *
 * <p>Every mechanism delivers {@link io.meridian.discovery.TargetGroup}s through a {@link
 * io.meridian.discovery.Discoverer}, which says when its groups changed; the scrape side turns
 * groups into targets the same way whatever found them. {@link
 * io.meridian.discovery.FileDiscoverer} is {@code file_sd_configs}. HTTP, Kubernetes and
 * ServiceMonitor/PodMonitor discovery are to come.
 */
package io.meridian.discovery;
