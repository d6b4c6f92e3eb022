package io.livepulse.aggregate;

/**
 * The server's settings every room of this node gets, whether new, rebuilt or moved here.
 *
 * @param maxOnline users one room may hold online
 * @param viewerIdleSeconds default idle timeout of viewers (0: never), unless the room sets its own
 * @param sourceGroups which sources count as paid and private-domain
 */
public record RoomSettings(int maxOnline, long viewerIdleSeconds, SourceGroups sourceGroups) {
  public void applyTo(RoomState room) {
    room.limitOnline(maxOnline);
    room.defaultViewerIdle(viewerIdleSeconds);
    room.groupSources(sourceGroups);
  }
}
