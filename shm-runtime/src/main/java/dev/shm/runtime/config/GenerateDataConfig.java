package dev.shm.runtime.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code generate_data} section. {@code pathMtHuman} is the source dataset (aisegment or paired layout);
 * {@code null} selects the embedded synthetic portraits described by {@code synthetic}.
 */
public record GenerateDataConfig(
        Path pathMtHuman,
        Path pathSave,
        Path pathDebug,
        Proportion proportion,
        int debugPicNums,
        boolean copyPic,
        boolean generateMask,
        boolean generateTxt,
        boolean generateTrimap,
        int ksize,
        boolean fixedKsize,
        boolean generateAlpha,
        boolean generateDebug,
        boolean generateMeanStd,
        List<Path> listErrorFiles,
        int threads,
        SyntheticConfig synthetic) {

    public GenerateDataConfig {
        listErrorFiles = List.copyOf(listErrorFiles);
    }

    public boolean usesSyntheticSource() {
        return pathMtHuman == null;
    }
}
