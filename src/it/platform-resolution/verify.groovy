import java.util.zip.ZipFile

// The platform pairs are the ones the root POM's OS profiles choose.
def repository = localRepositoryPath instanceof File ? localRepositoryPath : new File(localRepositoryPath.toString())
[['macosx-arm64', 'macosx-arm64'], ['macosx-x86_64', 'macosx-x86_64-onednn'],
 ['windows-x86_64', 'windows-x86_64-onednn'], ['linux-arm64', 'linux-arm64']].each { platform, nd4j ->
    assert new File(repository, "org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-${nd4j}.jar").isFile() : nd4j
    assert new File(repository, "org/bytedeco/openblas/0.3.19-1.5.7/openblas-0.3.19-1.5.7-${platform}.jar").isFile() : platform
    assert new File(repository, "org/bytedeco/javacpp/1.5.7/javacpp-1.5.7-${platform}.jar").isFile() : platform
}
def log = new File(basedir, 'build.log').text
assert log.count('BUILD SUCCESS') == 4

// Inference and eval run in ONNX Runtime and OpenCV, whose single jars carry every platform's natives.
def entries = { String path -> new ZipFile(new File(repository, path)).entries().collect { it.name } }
def onnx = entries('com/microsoft/onnxruntime/onnxruntime/1.19.2/onnxruntime-1.19.2.jar')
['osx-aarch64', 'osx-x64', 'win-x64', 'linux-aarch64', 'linux-x64'].each { p ->
    assert onnx.any { it.startsWith("ai/onnxruntime/native/${p}/") } : "ONNX Runtime natives for ${p}"
}
def opencv = entries('org/openpnp/opencv/4.9.0-0/opencv-4.9.0-0.jar')
['osx/ARMv8', 'osx/x86_64', 'windows/x86_64', 'linux/ARMv8', 'linux/x86_64'].each { p ->
    assert opencv.any { it.startsWith("nu/pattern/opencv/${p}/") } : "OpenCV natives for ${p}"
}
return true
