// The 300-record case the benches evaluate: the demo's complete case with 60 activities of four
// records each (inspection or interview, AV with and without storage time), topped up with
// filing forms. Plain ES2019 so that Node 14.5 (V8 8.3) loads it too.
export function case300(base) {
  const c = JSON.parse(JSON.stringify(base));
  c.activities = [];
  for (let a = 0; a < 60; a++) {
    const start = `2026-03-${String(2 + (a % 20)).padStart(2, '0')}T09:00`;
    const end = start.replace('09:00', '10:00');
    const recs = [
      { id: `R${a}-1`, kind: '现场检查(勘验)笔录', made_at: end, elements: ['检查起止时间', '检查地点'] },
      { id: `R${a}-2`, kind: '音像记录', made_at: end, media: [{ name: `v${a}.mp4`, recorded_from: start, recorded_to: end, stored_at: end }] },
      { id: `R${a}-3`, kind: '询问笔录', made_at: end },
      { id: `R${a}-4`, kind: '音像记录', made_at: end, media: [{ name: `w${a}.mp4`, recorded_to: end }] },
    ];
    c.activities.push({ id: `A${a}`, kind: a % 2 ? '现场检查' : '询问', start, end, records: recs });
  }
  while (c.records.length + c.activities.length * 4 < 300) {
    c.records.push({ id: `X${c.records.length}`, kind: '立案审批表', made_at: '2026-03-02T16:00' });
  }
  return c;
}

// When the benches check it: inside every period the case sets.
export const NOW = '2026-03-25T10:00';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
