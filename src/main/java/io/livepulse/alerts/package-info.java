/**
 * Alerts and targets (contract §10): rules, their pure evaluation every second where a room's figures
 * live (its owner), and the delivery of what fires: live messages, history, webhooks.
 */
package io.livepulse.alerts;
