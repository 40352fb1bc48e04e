package dev.shm.runtime.data;

/** The seed's folder names inside each split of a generated dataset. */
public final class DatasetFolders {
    public static final String CLIP_IMG = "clip_img";
    public static final String MATTING = "matting";
    public static final String MASK = "mask";
    public static final String ALPHA = "alpha";
    public static final String TRIMAP = "trimap";
    public static final String STAMP = ".shm-dataset.json";
    public static final String MEAN_STD = "mean_std.json";
    public static final String REPORT = "generate_data_report.txt";

    private DatasetFolders() {
    }
}
