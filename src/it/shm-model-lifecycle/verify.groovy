def log = new File(basedir, 'build.log').text
['generate-data', 'train', 'eval', 'export', 'infer-ascend'].each {
    assert log =~ /shm-maven-plugin:[^:]+:${it} \(default-${it}\)/ : "${it} bound by the shm-model lifecycle"
}
def installed = new File(localRepositoryPath, 'dev/shm/it/shm-model-lifecycle/1.0')
assert new File(installed, 'shm-model-lifecycle-1.0.onnx').length() > 12_000_000 : 'the model is the main artifact'
assert new File(installed, 'shm-model-lifecycle-1.0-checkpoint.ckpt').isFile()
assert new File(installed, 'shm-model-lifecycle-1.0.pom').isFile()
assert new File(installed, 'shm-model-lifecycle-1.0-atc.sh').isFile() : 'the ATC script goes with a release without .om'
// a release profile's -Dshm.requireOm=true fails where no .om can be made, saying what to run
assert log =~ /\[ERROR\] Failed to execute goal .*:export .*shm:export: no Ascend310 \.om was made: .*run: sh .*shm_export_atc\.sh/
return true
