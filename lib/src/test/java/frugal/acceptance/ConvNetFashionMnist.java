package frugal.acceptance;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.Devices;
import frugal.core.Seeds;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;
import frugal.nn.Classifier;
import frugal.nn.ConvNet;
import frugal.schedule.CosineSchedule;
import frugal.train.Batches;
import frugal.train.Evaluation;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;

/**
 * Foundation acceptance: a BN ConvNet reaches >= 90% test accuracy on Fashion-MNIST.
 * Run: {@code scripts/run frugal.acceptance.ConvNetFashionMnist [epochs]}; exits 1 below 90%.
 */
public final class ConvNetFashionMnist {
    private ConvNetFashionMnist() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batch = 128;
        FashionMnist data = FashionMnist.load();
        ImageSet train = data.train();
        ImageSet test = data.test();
        ConvNet.Config config = ConvNet.Config.batchNorm(1, 28, 10, 3, 64);
        System.out.println(Devices.describe() + "; " + config.name() + ", " + epochs + " epochs, batch " + batch);
        try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
            Seeds.set(1);
            Classifier net = ConvNet.build(config);
            net.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 28, 28));
            long steps = (long) epochs * train.batchCount(batch, true);
            TrainConfig run = TrainConfig.of(steps, 3e-3)
                    .withSchedule(CosineSchedule.steps(3e-3, steps, steps / 20, 0.01))
                    .withGrouping(ParamGrouping.decayMatricesOnly(5e-4))
                    .withLogEvery(50)
                    .withSeed(1);
            long start = System.nanoTime();
            Trainer.train(net, Batches.shuffled(train, batch, 1), LossFunction.of(Losses.softmaxCrossEntropy()), run);
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double accuracy = Evaluation.accuracy(net, Batches.inOrder(test, 500), Batches.count(test, 500), manager);
            System.out.printf("test accuracy %.4f after %d steps; training wall time %.1f s (%.1f ms/step)%n",
                    accuracy, steps, trainSeconds, trainSeconds * 1000 / steps);
            System.exit(accuracy >= 0.90 ? 0 : 1);
        }
    }
}
