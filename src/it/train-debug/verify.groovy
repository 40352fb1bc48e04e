import groovy.json.JsonSlurper

def ckpt = new File(basedir, 'target/shm/ckpt_s2')
def tNet = new File(ckpt, 'pre_train_t_net')
def e2e = new File(ckpt, 'end_to_end')
assert new File(tNet, 'semantic_hm_final.ckpt').isFile()
assert new File(tNet, 'semantic_hm_latest_2.ckpt').isFile()
assert !new File(tNet, 'semantic_hm_latest_1.ckpt').exists() : 'keep_checkpoint_max 1'
['semantic_hm_latest_1.ckpt', 'semantic_hm_latest_2.ckpt', 'semantic_hm_best.ckpt', 'semantic_hm_final.ckpt'].each {
    assert new File(e2e, it).isFile() : "end_to_end/$it"
}
def steps = new File(tNet, 'log_latest.txt').readLines().findAll { it.startsWith('train epoch:') }
assert steps.size() == 4 : '6 debug train images in batches of 3, 2 epochs'
assert new File(e2e, 'log_best.txt').text.contains('best sad')

def events = new File(basedir, 'target/shm/events.jsonl').readLines().collect { new JsonSlurper().parseText(it) }
assert events.any { it.goal == 'train' && it.event == 'done' && it.task == 'end_to_end steps' }

def log = new File(basedir, 'build.log').text
assert log.contains('pre_train_t_net: up to date') && log.contains('end_to_end: up to date') : 'the second build skips'
return true
