import json,sys,collections
p=json.load(open(sys.argv[1]))
nodes={n['id']:n for n in p['nodes']}
self_t=collections.Counter()
dt=p['timeDeltas']; samples=p['samples']
for s,d in zip(samples,dt):
    self_t[s]+=d
# self time by function
byfn=collections.Counter()
for nid,t in self_t.items():
    cf=nodes[nid]['callFrame']
    byfn[(cf['functionName'] or '(anon)')+' '+cf['url'].split('/')[-1]+':'+str(cf['lineNumber'])]+=t
tot=sum(self_t.values())
print('total ms',tot/1000)
for k,v in byfn.most_common(40): print(f"{v/1000:8.0f} {k}")
# inclusive for selected
parent={}
for n in p['nodes']:
    for c in n.get('children',[]): parent[c]=n['id']
incl=collections.Counter()
for nid,t in self_t.items():
    seen=set(); x=nid
    while x is not None:
        cf=nodes[x]['callFrame']; key=(cf['functionName'] or '(anon)')+' '+cf['url'].split('/')[-1]
        if key not in seen: incl[key]+=t; seen.add(key)
        x=parent.get(x)
print('--- inclusive')
for k,v in incl.most_common(60): print(f"{v/1000:8.0f} {k}")
