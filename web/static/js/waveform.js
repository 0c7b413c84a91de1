// A waveform drawn on a canvas from the recording itself, with the analysis's
// speech segments shaded (the gaps between them are the pauses). Drawn by hand,
// not by a library: wavesurfer.js injects a <style> element, which a strict CSP blocks.
const SPEECH = "#dbeafe";
const WAVE = "#1e3a8a";

export async function drawWaveform(canvas, url, speech) {
  const response = await fetch(url, { credentials: "same-origin" });
  const context = new OfflineAudioContext(1, 1, 8000);
  const audio = await context.decodeAudioData(await response.arrayBuffer());
  const samples = audio.getChannelData(0);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.floor(canvas.clientWidth * ratio));
  canvas.height = Math.floor(canvas.clientHeight * ratio);
  const g = canvas.getContext("2d");
  const { width, height } = canvas;
  g.fillStyle = SPEECH;
  for (const [start, end] of speech) {
    g.fillRect((start / audio.duration) * width, 0, ((end - start) / audio.duration) * width, height);
  }
  g.fillStyle = WAVE;
  const perColumn = Math.max(1, Math.floor(samples.length / width));
  for (let x = 0; x < width; x++) {
    let peak = 0;
    for (let i = x * perColumn, end = i + perColumn; i < end && i < samples.length; i++) {
      peak = Math.max(peak, Math.abs(samples[i]));
    }
    const h = Math.max(1, peak * height);
    g.fillRect(x, (height - h) / 2, 1, h);
  }
  canvas.dataset.drawn = "true";
}
