// How tiktok-live-connector's events become LivePulse events. Pure: no I/O, no clock of its own.
//
// TikTok LIVE reports viewers joining (member) but never leaving, and every few seconds its own
// viewer count (roomUser): so the room's online figure is the platform's, sent as a `stats` event.
// Likes arrive with the room's running total; comments, follows and shares are counted here and
// sent as running totals too. Gifts are not sales and are not mapped; shop orders come from the
// shop's own order webhooks, not from this stream.

/** A user's id as LivePulse wants it: TikTok's stable numeric id, else the @name. */
function userOf(data) {
  const u = data?.user ?? {};
  const id = u.userId ?? u.uniqueId ?? data?.userId ?? data?.uniqueId;
  return id === undefined || id === null || id === '' ? null : String(id).slice(0, 128);
}

export function createMapper(room, { anchor, now = () => Date.now() } = {}) {
  let comments = 0;
  let follows = 0;
  let shares = 0;
  let likes = -1;
  const base = () => ({ room, ts: now() });

  return {
    /** The first events of a session: the room is live on TikTok. */
    start() {
      return [{ ...base(), type: 'room', status: 'live', platform: 'tiktok', ...(anchor ? { anchor } : {}) }];
    },

    /** The LivePulse events for one connector event (often none). */
    map(event, data) {
      switch (event) {
        case 'member': {
          const user = userOf(data);
          return user ? [{ ...base(), type: 'viewer', user, action: 'enter' }] : [];
        }
        case 'roomUser':
          return Number.isInteger(data?.viewerCount) && data.viewerCount >= 0
            ? [{ ...base(), type: 'stats', online: data.viewerCount }] : [];
        case 'like':
          if (Number.isInteger(data?.totalLikeCount) && data.totalLikeCount > likes) {
            likes = data.totalLikeCount;
            return [{ ...base(), type: 'stats', likes }];
          }
          return [];
        case 'chat':
          comments++;
          return [{ ...base(), type: 'stats', comments }];
        case 'follow':
          follows++;
          return [{ ...base(), type: 'stats', follows }];
        case 'share':
          shares++;
          return [{ ...base(), type: 'stats', shares }];
        case 'streamEnd':
          return [{ ...base(), type: 'room', status: 'ended' }];
        default:
          return [];
      }
    },
  };
}
