"""Source of sounds/new-ticket.wav: a soft two-note chime (E6 then A6), 16-bit mono 22.05 kHz.

Run `python3 make-alert.py` in this folder to regenerate the file; only the standard library is needed.
"""
import math
import struct
import wave

RATE = 22050


def note(freq, seconds, volume=0.45):
    frames = int(RATE * seconds)
    for i in range(frames):
        t = i / RATE
        envelope = min(1.0, t / 0.01) * math.exp(-4.0 * t)  # quick attack, bell-like decay
        sample = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(2 * math.pi * 2 * freq * t)
        yield volume * envelope * sample / 1.3


samples = list(note(1318.5, 0.35)) + list(note(1760.0, 0.7))
with wave.open("new-ticket.wav", "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(RATE)
    out.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples))
