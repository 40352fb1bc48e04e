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
assert events.any { it.goal == 'train' && it.event == 'done' && it.task == 'end_to_end' && it.message.startsWith('end_to_end: 12/12 images') && it.message.contains(' images/s') }

def log = new File(basedir, 'build.log').text
assert !log.contains('Backend build information') && !log.contains('Loaded [CpuBackend] backend') : 'no ND4J banner'
assert !log.contains('Added differentiated op') && !log.contains('Duplicate TF op mapping')
def unlevelled = log.readLines().collect { it.replaceAll(/\u001B\[[0-9;]*m/, '').trim() }
        .findAll { it && !(it =~ /^\[(INFO|WARNING|ERROR|DEBUG)\]/) && !it.startsWith('at ') && !it.contains('post-build script') }
assert unlevelled.isEmpty() : 'every line is Maven\'s own: ' + unlevelled.take(5)
assert log.contains('pre_train_t_net: up to date') && log.contains('end_to_end: up to date') : 'the second build skips'
assert log =~ /report.json is up to date/ : 'eval skips on the second build'
assert log =~ /shm_export.onnx is up to date/ : 'export skips on the second build'
assert log.contains('shm:export: nothing to do, the inputs are unchanged since the last run (-Dshm.force=true redoes it)')
assert log.contains('Resuming: 6 of 6 images already have outputs') : 'infer-ascend keeps its outputs'

def report = new JsonSlurper().parse(new File(basedir, 'target/shm/eval/report.json'))
assert report.images.size() == 2 : 'the debug test split'
assert report.mean.sad > 0 && report.mean.conn >= 0
assert report.model.contains('end_to_end/semantic_hm_best.ckpt')
def junit = new File(basedir, 'target/shm-reports/TEST-shm-eval.xml').text
assert junit.contains('<testsuite name="shm.eval.pipeline-debug" tests="2" failures="0"') : junit
assert junit.contains('name="maxSad"') && junit.count('<testcase ') == 2 : 'the evaluation and its one threshold'
assert log.contains('[WARNING] shm:export: no Ascend310 .om was made') && log.contains('On an Ascend host with CANN, run: sh')
assert new File(basedir, 'target/shm/eval/index.html').text.contains('composites/')
assert new File(basedir, 'target/shm/eval/predictions').listFiles().length == 2
assert log =~ /ave_sad: [0-9.]+/

def export = new File(basedir, 'target/shm/export')
assert new File(export, 'shm_export.onnx').length() > 12_000_000
assert new File(export, 'shm_export_atc.sh').text.contains('--input_shape=input:1,3,32,32')
assert log =~ /Parity: largest alpha difference between ONNX Runtime and DL4J [0-9.e-]+/
def installed = new File(localRepositoryPath, 'dev/shm/it/pipeline-debug/1.0')
assert new File(installed, 'pipeline-debug-1.0-onnx.onnx').isFile() : 'the ONNX model is published'
assert new File(installed, 'pipeline-debug-1.0-checkpoint.ckpt').isFile() : 'the checkpoint is published'
assert new File(installed, 'pipeline-debug-1.0-atc.sh').isFile() : 'the ATC script is published where there is no .om'
assert new File(installed, 'pipeline-debug-1.0-eval-report.json').isFile() : 'the eval report is published'

def acc = new File(basedir, 'target/shm/infer/acc.log').text
assert acc =~ /Total images: 6, total sad: [0-9.]+, ave sad: [0-9.]+/
assert acc.contains('executor: onnxruntime')
assert new File(basedir, 'target/shm/infer/time_Result/test_perform_static.txt').text =~ /NN inference cost average time: [0-9.]+ ms of infer_count/

// shm:matte without a project: the export mattes the test photos into a folder outside any project
def elsewhere = new File(basedir, 'no-project')
elsewhere.mkdirs()
def plugin = (new File(basedir, 'pom.xml').text =~ /<groupId>(.+?)<\/groupId>\s*<artifactId>(shm-maven-plugin)<\/artifactId>\s*<version>(.+?)<\/version>/)
assert plugin.find()
def coordinates = "${plugin.group(1)}:${plugin.group(2)}:${plugin.group(3)}"
def photos = new File(basedir, 'target/shm/datasets/test/clip_img')
def matted = new File(elsewhere, 'mattes')
def command = [new File(System.getProperty('maven.home'), 'bin/mvn').path, '-B', '-o', "${coordinates}:matte",
               "-Dshm.input=${photos}", "-Dshm.model=${new File(export, 'shm_export.onnx')}", "-Dshm.output=${matted}",
               '-Dshm.refine=none']
def run = new ProcessBuilder(command.collect { it.toString() }).directory(elsewhere).redirectErrorStream(true).start()
def output = run.inputStream.text
assert run.waitFor() == 0 : output
assert output.contains('shm:matte: 6 photos matted with ONNX Runtime') : output
assert new File(matted, 'alpha').listFiles().length == 6 && new File(matted, 'cutout').listFiles().length == 6
assert elsewhere.list().toList() == ['mattes'] : 'nothing else is written where it ran: ' + elsewhere.list()
def alphaName = new File(matted, 'alpha').listFiles()[0].name
assert new File(photos, alphaName.replace('.png', '.jpg')).isFile() : 'each alpha is named after its photo'

// the goal's 8-bit alphas are eval's 16-bit predictions of the same model (on the debug test photos), rounded
def predictions = new File(basedir, 'target/shm/eval/predictions').listFiles()
assert predictions.length > 0
predictions.each { predicted ->
    def alphaFile = new File(matted, "alpha/${predicted.name}")
    def eight = javax.imageio.ImageIO.read(alphaFile).raster
    def sixteen = javax.imageio.ImageIO.read(predicted).raster
    assert eight.width == sixteen.width && eight.height == sixteen.height
    double worst = 0
    for (int y = 0; y < eight.height; y++) {
        for (int x = 0; x < eight.width; x++) {
            worst = Math.max(worst, Math.abs(eight.getSample(x, y, 0) - sixteen.getSample(x, y, 0) * 255.0 / 65535.0))
        }
    }
    assert worst <= 0.5 + 0.5 * 255.0 / 65535.0 : "${alphaFile.name}: ${worst} levels from eval's prediction"
}
return true
