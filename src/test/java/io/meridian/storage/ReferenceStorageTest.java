package io.meridian.storage;

/** The naive model keeps the contract too, so randomized tests can trust it. */
class ReferenceStorageTest extends StorageContractTest {
  @Override
  protected Storage newStorage() {
    return new ReferenceStorage();
  }
}
