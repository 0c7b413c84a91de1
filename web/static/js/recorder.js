// MediaRecorder with a level meter: WebM/Opus in Chromium, MP4/AAC in Safari.
const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus"];

export class MicrophoneError extends Error {}

export async function openMicrophone() {
  if (!navigator.mediaDevices || !window.MediaRecorder) {
    throw new MicrophoneError("This browser cannot record audio. Try a recent Chrome, Firefox or Safari.");
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (err) {
    if (err.name === "NotAllowedError" || err.name === "SecurityError") {
      throw new MicrophoneError("Recital may not use your microphone. Allow it in the browser's site settings, then try again.");
    }
    if (err.name === "NotFoundError" || err.name === "OverconstrainedError") {
      throw new MicrophoneError("No microphone was found. Connect one, then try again.");
    }
    throw new MicrophoneError(`The microphone could not be opened (${err.name}).`);
  }
}

export class Recording {
  constructor(stream, onLevel) {
    this.stream = stream;
    this.chunks = [];
    const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
    this.recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    this.recorder.ondataavailable = (e) => { if (e.data.size) this.chunks.push(e.data); };
    this.context = new AudioContext();
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 1024;
    this.context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s));
      onLevel(peak);
      if (this.recorder.state === "recording") this.frame = requestAnimationFrame(tick);
    };
    this.recorder.start(250);
    this.frame = requestAnimationFrame(tick);
  }

  stop() {
    return new Promise((resolve) => {
      this.recorder.onstop = () => {
        cancelAnimationFrame(this.frame);
        this.stream.getTracks().forEach((t) => t.stop());
        this.context.close();
        resolve(new Blob(this.chunks, { type: this.recorder.mimeType || "audio/webm" }));
      };
      this.recorder.stop();
    });
  }
}

// Chromium's WebM recordings carry no duration (Infinity): the player shows no length and
// cannot be moved along. Seeking far past the end makes it read the whole file and learn
// the length; then back to the start (QA).
export function knowLength(player) {
  if (Number.isFinite(player.duration)) return;
  player.addEventListener("durationchange", () => { player.currentTime = 0; }, { once: true });
  player.currentTime = Number.MAX_SAFE_INTEGER;
}
