/**
 * Room aggregation as plain Java: what contract §3 computes for a room, its per-second history, the
 * distinct-user sketches and the online set. No Vert.x, no I/O; it may import {@code io.livepulse.event}
 * and {@code io.livepulse.bus} values only. The verticle that owns rooms lives in {@code rooms}.
 */
package io.livepulse.aggregate;
