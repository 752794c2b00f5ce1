/** Recording and alerting rules, their evaluation groups, and the Alertmanager notifier. */
package io.meridian.rules;
