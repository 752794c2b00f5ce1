/** Service discovery: static, file, http, kubernetes and ServiceMonitor/PodMonitor targets. */
package io.meridian.discovery;
