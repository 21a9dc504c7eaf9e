// A crowd of WebRTC listeners in one page, for the external Janus test: each speaks the
// listeners' signalling (/webrtc/watch, events, start, trickle, hangup) exactly as the
// listeners' page does (events polled every second once started; on "gone", "hangup", an error
// or a failed connection, a new watch half a second later) and plays its track in an <audio>
// element, so that Chromium pulls the audio. Evaluated in the listeners' page (same origin).
window.crowd = (() => {
  const post = async (path, body) => {
    const reply = await fetch("/webrtc/" + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const answer = await reply.json().catch(() => ({}));
    if (!reply.ok) throw new Error(answer.error || ("HTTP " + reply.status));
    return answer;
  };
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const listeners = [];

  function again(l, generation, why) {
    if (generation !== l.generation) return;
    l.reason = why;
    ++l.generation;
    setTimeout(() => watch(l), 500);
  }

  async function watch(l) {
    const generation = ++l.generation;
    if (l.pc) { try { l.pc.close(); } catch (e) {} }
    if (l.id) post("hangup", { id: l.id }).catch(() => {});
    l.pc = null;
    l.id = null;
    let w;
    try { w = await post("watch", { channel: l.channel }); }
    catch (e) { again(l, generation, String(e.message || e)); return; }
    if (generation !== l.generation) { post("hangup", { id: w.id }).catch(() => {}); return; }
    ++l.watches;
    const pc = new RTCPeerConnection({ iceServers: [] });
    l.id = w.id;
    l.pc = pc;
    let started = false;
    const early = [];
    pc.onicecandidate = e => {
      const c = e.candidate;
      if (c && !c.candidate) return;
      const body = c ? { id: w.id, candidate: { candidate: c.candidate, sdpMid: c.sdpMid,
                                                sdpMLineIndex: c.sdpMLineIndex } }
                     : { id: w.id, completed: true };
      if (started) post("trickle", body).catch(() => {}); else early.push(body);
    };
    pc.ontrack = e => {
      l.audio.srcObject = e.streams[0] || new MediaStream([e.track]);
      l.audio.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") again(l, generation, "failed");
    };
    while (generation === l.generation) {
      let events = [];
      try {
        const reply = await fetch("/webrtc/events?id=" + encodeURIComponent(w.id), { cache: "no-store" });
        if (reply.status === 404) { again(l, generation, "ended"); return; }
        events = (await reply.json()).events || [];
      } catch (e) { again(l, generation, "no answer"); return; }
      for (const event of events) {
        if (generation !== l.generation) return;
        if (event.type === "offer") {
          await pc.setRemoteDescription({ type: "offer", sdp: event.sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          await post("start", { id: w.id, sdp: pc.localDescription.sdp });
          started = true;
          early.splice(0).forEach(body => post("trickle", body).catch(() => {}));
        } else if (event.type === "gone" || event.type === "hangup" || event.type === "error") {
          again(l, generation, event.type); return;
        }
      }
      await sleep(started ? 1000 : 100);
    }
  }

  return {
    // `count` listeners, listener i on channels[i % channels.length].
    start(count, channels) {
      for (let i = 0; i < count; ++i) {
        const audio = document.createElement("audio");
        audio.autoplay = true;
        document.body.appendChild(audio);
        const l = { channel: channels[i % channels.length], audio, pc: null, id: null,
                    generation: 0, watches: 0, reason: "" };
        listeners.push(l);
        watch(l);
      }
      return listeners.length;
    },
    // Listener i watches again (hangs up first).
    rewatch(i) { watch(listeners[i]); return true; },
    // Per listener: its connection's state, the packets it has received on its connection, how
    // many watches it made.
    async snapshot() {
      return Promise.all(listeners.map(async l => {
        let packets = 0;
        if (l.pc) {
          const stats = await l.pc.getStats();
          stats.forEach(s => { if (s.type === "inbound-rtp" && s.kind === "audio") packets = s.packetsReceived; });
        }
        return { connected: !!l.pc && l.pc.connectionState === "connected", packets,
                 watches: l.watches, reason: l.reason };
      }));
    },
  };
})();
true;
