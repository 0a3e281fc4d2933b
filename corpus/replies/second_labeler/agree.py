"""Agreement between the writers' labels and the second labeler's on the sample in key.json.

Run from the repository's root, for the round in a folder and its writers:
  python corpus/replies/second_labeler/agree.py                      (w8, w9, w11, w12)
  python corpus/replies/second_labeler/agree.py corpus/replies/second_labeler/r3 w18 w19 w20
"""
import json, collections, sys
folder = sys.argv[1] if len(sys.argv) > 1 else 'corpus/replies/second_labeler'
writers = sys.argv[2:] or ['w8', 'w9', 'w11', 'w12']
key = json.load(open(f'{folder}/key.json'))
mine = {json.loads(l)['file']: json.loads(l) for l in open(f'{folder}/labels.jsonl') if l.strip()}
gold = {}
for w in writers:
    for l in open(f'corpus/replies/{w}/labels.jsonl'):
        d = json.loads(l); gold[(w, d['file'])] = d
pairs = []
for name, (w, f) in key.items():
    pairs.append((gold[(w, f)], mine[name], w, name))
n = len(pairs); agree = sum(g['intent'] == m['intent'] for g, m, _, _ in pairs)
labels = sorted({g['intent'] for g,_,_,_ in pairs} | {m['intent'] for _,m,_,_ in pairs})
po = agree / n
cg = collections.Counter(g['intent'] for g,_,_,_ in pairs); cm = collections.Counter(m['intent'] for _,m,_,_ in pairs)
pe = sum(cg[l]*cm[l] for l in labels) / n / n
print('intent agreement', agree, n, round(po,3), 'kappa', round((po-pe)/(1-pe),3))
byw = collections.defaultdict(lambda: [0,0])
for g,m,w,_ in pairs: byw[w][0]+= g['intent']==m['intent']; byw[w][1]+=1
print(dict(byw))
for fld in ['return_date','follow_up_after','referral_email','referral_name','bounce']:
    both = [(g.get(fld), m.get(fld)) for g,m,_,_ in pairs if g.get(fld) and m.get(fld)]
    one = [(g.get(fld), m.get(fld)) for g,m,_,_ in pairs if bool(g.get(fld)) != bool(m.get(fld))]
    eq = sum((a.strip().lower() if isinstance(a,str) else a) == (b.strip().lower() if isinstance(b,str) else b) for a,b in both)
    print(fld, 'both', len(both), 'equal', eq, 'only one gave it', len(one))
conf = collections.Counter((g['intent'], m['intent']) for g,m,_,_ in pairs if g['intent']!=m['intent'])
for k,v in conf.most_common(): print(k, v)
lang = sum(g.get('language')==m.get('language') for g,m,_,_ in pairs); print('language', lang, n)
for g,m,w,name in pairs:
    for fld in ['follow_up_after','referral_name']:
        if g.get(fld) and m.get(fld) and g.get(fld)!=m.get(fld): print(name, w, g['file'], fld, g.get(fld), '|', m.get(fld))
