/**
 * The web page: one form, progress, and the report with downloads. Dutch (the users are Dutch),
 * plain HTML controls with labels (usable with the keyboard), readable on a laptop screen. The
 * page holds no data; everything comes from the API with the token the user types in.
 */
export function renderPage(options: { tokenRequired: boolean; codeLists: string[]; maxUploadMb: number }): string {
  const year = new Date().getFullYear() - 1;
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gemeentezorgspiegel-levering maken</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f7f8;color:#1b1b1b}
header{background:#1f6f8b;color:#fff;padding:1rem 1.5rem}header h1{margin:0;font-size:1.4rem}header p{margin:.3rem 0 0}
main{max-width:64rem;margin:0 auto;padding:1.5rem}
form{background:#fff;border:1px solid #c9d3d8;border-radius:.5rem;padding:1.2rem 1.5rem}
fieldset{border:1px solid #dde4e7;border-radius:.4rem;margin:0 0 1rem;padding:.8rem 1rem}legend{font-weight:600;padding:0 .3rem}
.row{display:flex;flex-wrap:wrap;gap:1rem}.row>div{flex:1 1 12rem}
label{display:block;font-weight:600;margin:.4rem 0 .2rem}.hint{font-weight:400;color:#555;font-size:.88rem}
input,select{font:inherit;padding:.35rem .45rem;border:1px solid #8a9aa1;border-radius:.3rem;width:100%;box-sizing:border-box;background:#fff}
input[type=checkbox]{width:auto}
button{font:inherit;font-weight:600;background:#1f6f8b;color:#fff;border:0;border-radius:.3rem;padding:.55rem 1.2rem;cursor:pointer}
button:disabled{background:#8a9aa1;cursor:wait}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
#status{margin:1rem 0;padding:.8rem 1rem;border-radius:.4rem;background:#fff;border:1px solid #c9d3d8}
#status.fout{background:#fbe6e6;border-color:#b44}#status.klaar{background:#e3f4e5;border-color:#4b9a55}
progress{width:100%}
#resultaat iframe{width:100%;height:75vh;border:1px solid #c9d3d8;border-radius:.4rem;background:#fff}
.downloads{display:flex;gap:.8rem;flex-wrap:wrap;margin:.8rem 0}
.downloads a{display:inline-block;padding:.45rem .9rem;border:2px solid #1f6f8b;border-radius:.3rem;color:#1f6f8b;font-weight:600;text-decoration:none;background:#fff}
</style>
</head>
<body>
<header><h1>Gemeentezorgspiegel (QSD301) maken</h1><p>Van iWmo-declaraties en het cliëntenregister naar het leveringsbestand voor Vektis, met kwaliteitsrapport.</p></header>
<main>
<form id="formulier" novalidate>
${
  options.tokenRequired
    ? `<fieldset><legend>Toegang</legend><label for="token">Token <span class="hint">(van de beheerder; wordt niet opgeslagen)</span></label><input id="token" name="token" type="password" autocomplete="off" required></fieldset>`
    : ''
}
<fieldset><legend>Levering</legend>
<div class="row">
<div><label for="gemeente">Gemeentecode (CBS)</label><input id="gemeente" name="gemeente" inputmode="numeric" pattern="\\d{4}" maxlength="4" placeholder="0405" required><span class="hint">4 cijfers, Hoorn is 0405</span></div>
<div><label for="jaar">Rapportagejaar</label><input id="jaar" name="jaar" inputmode="numeric" pattern="\\d{4}" maxlength="4" value="${year}" required></div>
<div><label for="periode">Periode</label><select id="periode" name="periode"><option value="Y">Heel jaar (1 januari – 31 december)</option><option value="H1">Eerste halfjaar (1 januari – 30 juni)</option></select></div>
<div><label for="aanleverdatum">Aanleverdatum</label><input id="aanleverdatum" name="aanleverdatum" type="date"></div>
</div>
<div class="row">
<div><label for="codelijst">Productcodelijst</label><select id="codelijst" name="codelijst"><option value="">Geen (categorie uit de declaratie)</option>${options.codeLists.map((c) => `<option value="${c}">${c}</option>`).join('')}</select></div>
<div><label for="pending"><input id="pending" name="pending" type="checkbox" value="ja"> Declaraties zonder antwoordbericht meetellen</label><span class="hint">Normaal tellen die niet mee (in afwachting).</span></div>
</div>
</fieldset>
<fieldset><legend>Bestanden <span class="hint">(samen hoogstens ${options.maxUploadMb} MB)</span></legend>
<label for="declaraties">iWmo-berichten <span class="hint">WMO323/325 en WMO303/304: losse XML-bestanden of een zip</span></label>
<input id="declaraties" name="declaraties" type="file" multiple required accept=".xml,.zip,application/xml,application/zip">
<label for="clienten">Cliëntenregister (CSV)</label>
<input id="clienten" name="clienten" type="file" required accept=".csv,text/csv">
<div class="row">
<div><label for="wijken">CBS-wijkenlijst <span class="hint">(optioneel; standaard de wijkindeling 2024 van zes gemeenten)</span></label><input id="wijken" name="wijken" type="file" accept=".csv,text/csv"></div>
<div><label for="adressen">CBS postcode-huisnummertabel <span class="hint">(optioneel; nodig bij postcode i.p.v. wijkcode)</span></label><input id="adressen" name="adressen" type="file" accept=".csv,text/csv"></div>
</div>
</fieldset>
<button id="maak" type="submit">Levering maken</button>
</form>
<div id="status" role="status" aria-live="polite" tabindex="-1" hidden></div>
<section id="resultaat" hidden aria-labelledby="resultaat-kop">
<h2 id="resultaat-kop" tabindex="-1">Resultaat</h2>
<div class="downloads" id="downloads"></div>
<iframe id="rapport" title="Kwaliteitsrapport"></iframe>
</section>
</main>
<script>
(() => {
  const form = document.getElementById('formulier');
  const status = document.getElementById('status');
  const button = document.getElementById('maak');
  const headers = () => {
    const t = document.getElementById('token');
    return t && t.value ? { Authorization: 'Bearer ' + t.value } : {};
  };
  const say = (html, kind) => { status.hidden = false; status.className = kind || ''; status.innerHTML = html; };
  const text = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const labels = { csv: 'Leveringsbestand (QSD301, CSV)', 'report.json': 'Kwaliteitsrapport (JSON)', 'report.html': 'Kwaliteitsrapport (HTML)' };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    button.disabled = true;
    document.getElementById('resultaat').hidden = true;
    say('Bestanden worden verstuurd…');
    const data = new FormData(form);
    data.delete('token');
    try {
      const response = await fetch('/api/jobs', { method: 'POST', body: data, headers: headers() });
      const job = await response.json();
      if (!response.ok) throw new Error(job.error || response.statusText);
      await follow(job.id);
    } catch (error) {
      say('Het is niet gelukt: ' + text(error.message), 'fout');
      status.focus();
    } finally {
      button.disabled = false;
    }
  });
  async function follow(id) {
    for (;;) {
      const response = await fetch('/api/jobs/' + id, { headers: headers() });
      const job = await response.json();
      if (!response.ok) throw new Error(job.error || response.statusText);
      if (job.status === 'failed') throw new Error(job.error);
      if (job.status === 'done') return show(job);
      const p = job.progress;
      say('Bezig: ' + p.files + ' bestanden, ' + (p.bytes / 1e6).toFixed(1) + ' MB, ' + p.performances.toLocaleString('nl-NL') + ' prestaties gelezen… <progress aria-label="voortgang"></progress>');
      await new Promise((r) => setTimeout(r, 400));
    }
  }
  async function show(job) {
    const links = document.getElementById('downloads');
    links.innerHTML = '';
    let html = null;
    for (const file of job.files) {
      const response = await fetch(file.url, { headers: headers() });
      if (!response.ok) throw new Error('Downloaden van ' + file.kind + ' lukte niet.');
      const name = (response.headers.get('Content-Disposition') || '').replace(/^.*filename="([^"]+)".*$/, '$1');
      const blob = await response.blob();
      if (file.kind === 'report.html') html = await blob.text();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      a.textContent = labels[file.kind] + ' — ' + name;
      a.dataset.kind = file.kind;
      links.appendChild(a);
    }
    document.getElementById('rapport').srcdoc = html || '';
    document.getElementById('resultaat').hidden = false;
    say(job.passed ? 'Klaar: alle controles zijn in orde. Download het leveringsbestand hieronder.' : 'Klaar, maar niet verzenden: een of meer controles zijn niet in orde. Zie het rapport.', job.passed ? 'klaar' : 'fout');
    document.getElementById('resultaat-kop').focus();
  }
})();
</script>
</body>
</html>
`;
}
