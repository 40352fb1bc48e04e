import groovy.json.JsonSlurper

def ckpt = new File(basedir, 'target/shm/ckpt_s2')
['pre_train_t_net', 'end_to_end'].each { phase ->
    ['semantic_hm_latest_1.ckpt', 'semantic_hm_latest_2.ckpt', 'semantic_hm_final.ckpt', 'log_latest.txt'].each {
        assert new File(ckpt, "$phase/$it").isFile() : "$phase/$it"
    }
}
assert new File(ckpt, 'end_to_end/semantic_hm_best.ckpt').isFile()
def steps = new File(ckpt, 'pre_train_t_net/log_latest.txt').readLines().findAll { it.startsWith('train epoch:') }
assert steps.size() == 4 : '6 debug train images in batches of 3, 2 epochs: ' + steps

def log = new File(basedir, 'build.log').text
assert log.contains('data-parallel on Spark local[2], 2 tasks averaged every 1 steps of each') : 'the log names the engine'
def events = new File(basedir, 'target/shm/events.jsonl').readLines().collect { new JsonSlurper().parseText(it) }
assert events.any { it.goal == 'train' && it.event == 'done' && it.task == 'end_to_end' }

def report = new JsonSlurper().parse(new File(basedir, 'target/shm/eval/report.json'))
assert report.images.size() == 2 && report.mean.sad > 0
assert report.model.contains('end_to_end/semantic_hm_best.ckpt')
assert new File(basedir, 'target/shm/export/shm_export.onnx').isFile()
