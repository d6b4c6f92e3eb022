/**
 * The floor: event-bus addresses, the messages that travel them (immutable values, with their
 * codecs), and the figures those messages carry. It may import Vert.x and {@code io.livepulse.event}
 * (the validated input values) and nothing else of LivePulse; every feature imports it.
 */
package io.livepulse.bus;
