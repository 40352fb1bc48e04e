package dev.shm.runtime.data;

import static dev.shm.runtime.io.FileNames.extension;
import static dev.shm.runtime.io.FileNames.stem;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The two source layouts generate-data reads (docs/MODEL.md §3.1): the aisegment Matting Human Datasets tree
 * ({@code clip_img/<group>/clip_<k>/<name>.jpg} with {@code matting/<group>/matting_<k>/<name>.png}, RGBA) and the
 * paired layout ({@code images/<name>.jpg|png} with {@code alpha/<name>.png}, gray).
 */
public enum SourceLayout {
    AISEGMENT("clip_img", "matting"),
    PAIRED("images", "alpha");

    private static final Set<String> IMAGE_EXTENSIONS = Set.of(".jpg", ".jpeg", ".png");

    private final String imageDir;
    private final String matteDir;

    SourceLayout(String imageDir, String matteDir) {
        this.imageDir = imageDir;
        this.matteDir = matteDir;
    }

    public static SourceLayout detect(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ShmException("The source dataset " + root + " does not exist or is not a directory; set "
                    + "generate_data.path_mt_human to a dataset in the aisegment (clip_img/ + matting/) or paired "
                    + "(images/ + alpha/) layout, or leave it unset to use the embedded synthetic portraits");
        }
        for (SourceLayout layout : values()) {
            if (Files.isDirectory(root.resolve(layout.imageDir)) && Files.isDirectory(root.resolve(layout.matteDir))) {
                return layout;
            }
        }
        throw new ShmException("The source dataset " + root + " has neither clip_img/ + matting/ (aisegment layout) "
                + "nor images/ + alpha/ (paired layout); point generate_data.path_mt_human at the folder that holds them");
    }

    /**
     * A paired-layout folder at {@code target} holding symbolic links to the first {@code n} pairs, by image name, of
     * the paired dataset at {@code source}: a subset for a quick run that copies none of the data.
     */
    public static Path linkPairedSubset(Path source, int n, Path target) throws IOException {
        Files.createDirectories(target.resolve(PAIRED.imageDir));
        Files.createDirectories(target.resolve(PAIRED.matteDir));
        List<Path> images;
        try (Stream<Path> list = Files.list(source.resolve(PAIRED.imageDir))) {
            images = list.sorted().limit(n).toList();
        }
        for (Path image : images) {
            String matte = stem(image) + ".png";
            Files.createSymbolicLink(target.resolve(PAIRED.imageDir).resolve(image.getFileName()),
                    image.toAbsolutePath());
            Files.createSymbolicLink(target.resolve(PAIRED.matteDir).resolve(matte),
                    source.resolve(PAIRED.matteDir).resolve(matte).toAbsolutePath());
        }
        return target;
    }

    /** Pairs every image with its matte; junk files, listed error files and unpaired files are reported, not read. */
    public Scan scan(Path root, Set<Path> errorFiles) {
        Path images = root.resolve(imageDir);
        Path mattes = root.resolve(matteDir);
        List<SourceSample> samples = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<Path> pairedMattes = new HashSet<>();
        Map<String, Path> names = new HashMap<>();
        for (Path image : files(images)) {
            String reason = junkReason(image, errorFiles);
            if (reason == null && !IMAGE_EXTENSIONS.contains(extension(image))) {
                reason = "not a .jpg or .png image";
            }
            if (reason != null) {
                skipped.add(new Skipped(image, reason));
                continue;
            }
            Path matte;
            try {
                matte = matteFor(images.relativize(image), mattes);
            } catch (InvalidPathException e) {
                skipped.add(new Skipped(image, "its name cannot be written in this JVM's file-name encoding ("
                        + System.getProperty("sun.jnu.encoding") + "); rename it, or run with a UTF-8 locale "
                        + "(for example LC_ALL=C.UTF-8)"));
                continue;
            }
            if (!Files.isRegularFile(matte)) {
                skipped.add(new Skipped(image, "image without its matte (expected " + matte + ")"));
                continue;
            }
            if (errorFiles.contains(matte.toAbsolutePath().normalize())) {
                skipped.add(new Skipped(image, "its matte " + matte + " is listed in list_error_files"));
                pairedMattes.add(matte);
                continue;
            }
            String name = stem(image);
            Path clash = names.putIfAbsent(name, image);
            if (clash != null) {
                skipped.add(new Skipped(image, "another image already has the name '" + name + "': " + clash));
                continue;
            }
            pairedMattes.add(matte);
            samples.add(new SourceSample(name, image, matte, this == AISEGMENT));
        }
        for (Path matte : files(mattes)) {
            if (pairedMattes.contains(matte)) {
                continue;
            }
            String reason = junkReason(matte, errorFiles);
            skipped.add(new Skipped(matte, reason != null ? reason : "matte without its image"));
        }
        samples.sort((a, b) -> a.name().compareTo(b.name()));
        return new Scan(this, List.copyOf(samples), List.copyOf(skipped));
    }

    private Path matteFor(Path relativeImage, Path mattes) {
        String matteName = stem(relativeImage) + ".png";
        if (this == PAIRED) {
            return mattes.resolve(matteName);
        }
        Path dir = relativeImage.getParent();
        Path result = mattes;
        if (dir != null) {
            for (Path part : dir) {
                String segment = part.toString();
                result = result.resolve(segment.startsWith("clip_") ? "matting_" + segment.substring(5) : segment);
            }
        }
        return result.resolve(matteName);
    }

    private static String junkReason(Path file, Set<Path> errorFiles) {
        for (Path p = file.toAbsolutePath().normalize(); p != null && p.getFileName() != null; p = p.getParent()) {
            String name = p.getFileName().toString();
            if (errorFiles.contains(p)) {
                return p.equals(file.toAbsolutePath().normalize()) ? "listed in list_error_files"
                        : "inside " + p + ", listed in list_error_files";
            }
            if (name.startsWith("._")) {
                return "macOS metadata (._*), not an image";
            }
        }
        if (file.getFileName().toString().equals(".DS_Store")) {
            return "macOS folder metadata, not an image";
        }
        return null;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** What a scan found: the pairs, sorted by name, and the files it left out. */
    public record Scan(SourceLayout layout, List<SourceSample> samples, List<Skipped> skipped) {
    }
}
