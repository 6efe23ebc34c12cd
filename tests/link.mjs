// A slow connection for the test server: one round trip before each
// response, then one bandwidth budget shared by every response in flight,
// sent in small slices taken in turn, as on a real link where parallel
// downloads split the line between them.
const SLICE = 4096;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Link {
  /** `rttMs`: round trip in ms; `kbps`: the line's speed in kbit/s. */
  constructor({ rttMs = 150, kbps = 1600 } = {}) {
    this.rttMs = rttMs;
    this.msPerSlice = (SLICE * 8) / kbps; // kbit/s = bit/ms
    this.turn = Promise.resolve();
  }

  roundTrip() {
    return sleep(this.rttMs);
  }

  /** Waits until the line is free for one slice, then holds it for that slice's time. */
  take() {
    const mine = this.turn.then(() => sleep(this.msPerSlice));
    this.turn = mine;
    return mine;
  }

  /** Writes `body` to `res` at the line's speed and ends it. */
  async send(res, body) {
    for (let at = 0; at < body.length && !res.destroyed; at += SLICE) {
      await this.take();
      res.write(body.subarray(at, at + SLICE));
    }
    res.end();
  }
}
